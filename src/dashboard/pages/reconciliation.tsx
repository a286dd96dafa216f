/**
 * Reconciliation: upload a settlement report for a window (a dry run), read the findings, apply
 * them, download them, and open past runs. The open run is in the URL (`?run=`).
 */
import { useState } from 'preact/hooks';
import { applyRun, getRun, listRuns, runExportUrl, startReconciliation } from '../admin.js';
import {
  type ActionError,
  announce,
  Badge,
  ConfirmDialog,
  ErrorText,
  Facts,
  FieldError,
  issuesFor,
  Link,
  PageTitle,
  Pager,
  Table,
  toActionError,
  useCursorPages,
  useLoad,
} from '../components.js';
import { formatInstant, formatMoney, formatNumber, localDateTimeToIso } from '../format.js';
import { codeLabel, useI18n } from '../i18n.js';
import { href, navigate, useLocation } from '../router.js';
import type { FindingJson, RunJson, RunWithFindingsJson } from '../types.js';
import { findingCount } from '../../domain/reconciliation.js';

export function Reconciliation() {
  const { t } = useI18n();
  const location = useLocation();
  const runId = location.query.get('run') ?? '';
  const [runsVersion, setRunsVersion] = useState(0);
  // Newest first, a page at a time.
  const pages = useCursorPages();
  const runs = useLoad(() => listRuns(pages.cursor), [runsVersion, pages.cursor]);
  return (
    <>
      <PageTitle>{t('recon.title')}</PageTitle>
      <UploadForm
        onStarted={(run) => {
          // The new run heads the first page.
          pages.reset();
          setRunsVersion((n) => n + 1);
          navigate(href('/reconciliation', { run: run.id }));
        }}
      />
      {runId && (
        <RunView key={runId} runId={runId} onChanged={() => setRunsVersion((n) => n + 1)} />
      )}
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">{t('recon.past')}</h2>
        <ErrorText error={runs.error} />
        {runs.data && (
          <div aria-busy={runs.loading ? 'true' : 'false'}>
            <RunList runs={runs.data.data} />
            <Pager {...pages.pager(runs.data.next_cursor)} />
          </div>
        )}
      </section>
    </>
  );
}

function UploadForm(props: { onStarted: (run: RunJson) => void }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<ActionError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const file = form.get('report');
    const from = localDateTimeToIso(String(form.get('from') ?? ''));
    const to = localDateTimeToIso(String(form.get('to') ?? ''));
    setError(null);
    try {
      if (!(file instanceof File) || file.size === 0) {
        throw new FieldError('report', t('recon.fileRequired'));
      }
      if (!from || !to) throw new FieldError('window', t('recon.windowRequired'));
      setBusy(true);
      const run = await startReconciliation(from, to, file);
      announce(
        t('recon.started', {
          findings: formatNumber(findingCount(run.summary), lang),
        }),
      );
      props.onStarted(run);
    } catch (e) {
      setError(toActionError(e));
    } finally {
      setBusy(false);
    }
  };
  const fileIssues = issuesFor(error, 'report');
  const windowIssues = [
    ...issuesFor(error, 'window'),
    ...issuesFor(error, 'from'),
    ...issuesFor(error, 'to'),
  ];
  const general = error && fileIssues.length === 0 && windowIssues.length === 0 ? error : null;
  return (
    <section aria-labelledby="upload-title" class="card">
      <h2 id="upload-title">{t('recon.upload')}</h2>
      <form class="filters" onSubmit={submit} noValidate>
        <div class="field wide">
          <label for="recon-file">{t('recon.file')}</label>
          <input
            id="recon-file"
            name="report"
            type="file"
            accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
            required
            aria-describedby="recon-file-help recon-file-error"
            aria-invalid={fileIssues.length > 0 ? 'true' : undefined}
          />
          <p id="recon-file-help" class="help">
            {t('recon.fileHelp')}
          </p>
          <p id="recon-file-error" class="field-error">
            {fileIssues.join(' ')}
          </p>
        </div>
        <div class="field">
          <label for="recon-from">{t('recon.from')}</label>
          <input
            id="recon-from"
            name="from"
            type="datetime-local"
            required
            aria-describedby="recon-window-error"
          />
        </div>
        <div class="field">
          <label for="recon-to">{t('recon.to')}</label>
          <input
            id="recon-to"
            name="to"
            type="datetime-local"
            required
            aria-describedby="recon-window-error"
          />
        </div>
        <p id="recon-window-error" class="field-error wide">
          {windowIssues.join(' ')}
        </p>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.working') : t('recon.dryRun')}
          </button>
        </div>
      </form>
      <ErrorText error={general} />
    </section>
  );
}

function RunView(props: { runId: string; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const run = useLoad(() => getRun(props.runId), [props.runId]);
  const [applying, setApplying] = useState(false);
  const data: RunWithFindingsJson | null = run.data;
  const amount = (minor: number | null, currency: string | null) =>
    minor === null
      ? '—'
      : currency
        ? formatMoney(minor, currency, lang)
        : formatNumber(minor, lang);
  return (
    <section aria-labelledby="run-title" class="card">
      <h2 id="run-title">{t('recon.run', { id: props.runId })}</h2>
      <ErrorText error={run.error} />
      {data && (
        <>
          <p>
            <Badge status={data.status} />{' '}
            {data.from &&
              data.to &&
              `${formatInstant(data.from, lang)} – ${formatInstant(data.to, lang)}`}
          </p>
          {data.error && <p class="error">{data.error}</p>}
          <h3>{t('recon.summary')}</h3>
          <Facts
            items={Object.entries(data.summary).map(
              ([key, value]) => [codeLabel(t, 'code', key), formatNumber(value, lang)] as const,
            )}
          />
          <div class="actions-bar">
            {(data.status === 'completed' || data.status === 'applied') && (
              <button type="button" class="primary" onClick={() => setApplying(true)}>
                {t('recon.apply')}
              </button>
            )}
            <a class="button" href={runExportUrl(data.id, 'csv')} download>
              {t('recon.downloadCsv')}
            </a>
            <a class="button" href={runExportUrl(data.id, 'json')} download>
              {t('recon.downloadJson')}
            </a>
          </div>
          <h3>{t('recon.findings')}</h3>
          {data.findings_truncated && <p class="muted">{t('recon.truncated')}</p>}
          <Table<FindingJson>
            caption={t('recon.findings')}
            captionHidden
            rows={data.findings}
            rowKey={(f) => String(f.seq)}
            empty={t('recon.noFindings')}
            columns={[
              {
                label: t('recon.kind'),
                primary: true,
                render: (f) => codeLabel(t, 'code', f.kind),
              },
              { label: t('recon.line'), render: (f) => f.line ?? '—' },
              {
                label: t('recon.orderRef'),
                render: (f) =>
                  f.order_id ? (
                    <Link href={href(`/orders/${encodeURIComponent(f.order_id)}`)}>
                      <code>{f.order_reference ?? f.order_id}</code>
                    </Link>
                  ) : (
                    <code>{f.order_reference ?? '—'}</code>
                  ),
              },
              { label: t('recon.type'), render: (f) => f.type ?? '—' },
              {
                label: t('recon.expected'),
                render: (f) => amount(f.expected_minor, f.expected_currency),
              },
              {
                label: t('recon.reported'),
                render: (f) => amount(f.reported_minor, f.reported_currency),
              },
              { label: t('recon.message'), render: (f) => f.message },
              {
                label: t('recon.action'),
                render: (f) => (
                  <>
                    <Badge status={f.action} />
                    {f.action_detail && <span class="muted"> {f.action_detail}</span>}
                  </>
                ),
              },
            ]}
          />
        </>
      )}
      {applying && data && (
        <ConfirmDialog
          title={t('recon.applyTitle', { id: data.id })}
          description={t('recon.applyText')}
          confirmLabel={t('recon.apply')}
          withReason={false}
          onClose={() => setApplying(false)}
          onConfirm={async ({ keyFor }) => {
            const applied = await applyRun(data.id, keyFor({ apply: data.id }));
            announce(t('recon.applied', { refunded: applied.summary['auto_refunded'] ?? 0 }));
            run.reload();
            props.onChanged();
          }}
        />
      )}
    </section>
  );
}

function RunList({ runs }: { runs: readonly RunJson[] }) {
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
        {
          label: t('recon.window'),
          render: (r) =>
            r.from && r.to ? `${formatInstant(r.from, lang)} – ${formatInstant(r.to, lang)}` : '—',
        },
        { label: t('recon.source'), render: (r) => r.source ?? '—' },
      ]}
    />
  );
}
