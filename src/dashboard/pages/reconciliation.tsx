/**
 * Reconciliation: upload a settlement report for a window (a dry run), read the findings, apply
 * them, download them, and open past runs. The operator names whose report it is, the merchant
 * and the face, before anything runs; only those orders are compared (docs/security.md). The
 * open run is in the URL (`?run=`).
 */
import { useState } from 'preact/hooks';
import { listRuns, merchantsOnce } from '../admin.js';
import {
  Badge,
  ErrorText,
  Link,
  PageTitle,
  Pager,
  Table,
  useCursorPages,
  useLoad,
} from '../components.js';
import { formatInstant } from '../format.js';
import { codeLabel, useI18n } from '../i18n.js';
import { href, navigate, useLocation } from '../router.js';
import type { Dialect, MerchantJson, RunJson } from '../types.js';
import { RunView } from './reconciliation-run.js';
import { UploadForm } from './reconciliation-upload.js';

/** "Merchant · Face" of a run, or what a run from before scopes covered. */
function useScopeLabel(merchants: readonly MerchantJson[] | null) {
  const { t } = useI18n();
  const names = new Map((merchants ?? []).map((m) => [m.id, m.name] as const));
  return (run: Pick<RunJson, 'merchant_id' | 'dialect'>): string =>
    run.merchant_id && run.dialect
      ? `${names.get(run.merchant_id) ?? run.merchant_id} · ${t(`face.${run.dialect as Dialect}`)}`
      : t('recon.unscoped');
}

export function Reconciliation() {
  const { t } = useI18n();
  const location = useLocation();
  const runId = location.query.get('run') ?? '';
  const [runsVersion, setRunsVersion] = useState(0);
  // Newest first, a page at a time.
  const pages = useCursorPages();
  const runs = useLoad(() => listRuns(pages.cursor), [runsVersion, pages.cursor]);
  const merchants = useLoad(() => merchantsOnce(), []);
  const scopeLabel = useScopeLabel(merchants.data);
  return (
    <>
      <PageTitle>{t('recon.title')}</PageTitle>
      <ErrorText error={merchants.error} />
      <UploadForm
        merchants={merchants.data ?? []}
        onStarted={(run) => {
          // The new run heads the first page.
          pages.reset();
          setRunsVersion((n) => n + 1);
          navigate(href('/reconciliation', { run: run.id }));
        }}
      />
      {runId && (
        <RunView
          key={runId}
          runId={runId}
          scopeLabel={scopeLabel}
          onChanged={() => setRunsVersion((n) => n + 1)}
        />
      )}
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">{t('recon.past')}</h2>
        <ErrorText error={runs.error} />
        {runs.data && (
          <div aria-busy={runs.loading ? 'true' : 'false'}>
            <RunList runs={runs.data.data} scopeLabel={scopeLabel} />
            <Pager {...pages.pager(runs.data.next_cursor)} />
          </div>
        )}
      </section>
    </>
  );
}

function RunList({
  runs,
  scopeLabel,
}: {
  runs: readonly RunJson[];
  scopeLabel: (run: RunJson) => string;
}) {
  const { t, lang } = useI18n();
  return (
    <Table<RunJson>
      caption={t('recon.past')}
      captionHidden
      rows={runs}
      rowKey={(r) => r.id}
      empty={t('recon.noRuns')}
      columns={[
        {
          label: t('recon.created'),
          primary: true,
          render: (r) => (
            <Link href={href('/reconciliation', { run: r.id })}>
              {formatInstant(r.created_at ?? null, lang)}
            </Link>
          ),
        },
        { label: t('recon.status'), render: (r) => <Badge status={r.status} /> },
        { label: t('recon.scope'), render: scopeLabel },
        {
          label: t('recon.window'),
          render: (r) =>
            r.from && r.to ? `${formatInstant(r.from, lang)} – ${formatInstant(r.to, lang)}` : '—',
        },
        {
          label: t('recon.source'),
          render: (r) => (r.source ? codeLabel(t, 'source', r.source) : '—'),
        },
      ]}
    />
  );
}
