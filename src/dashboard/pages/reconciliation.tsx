/**
 * Reconciliation: upload a settlement report for a window (a dry run), read the findings, apply
 * them, download them, and open past runs. The operator names whose report it is, the merchant
 * and the face, before anything runs; only those orders are compared (docs/security.md). The
 * open run is in the URL (`?run=`).
 */
import { useState } from 'preact/hooks';
import {
  applyRun,
  getRun,
  listRuns,
  merchantsOnce,
  runExportUrl,
  startReconciliation,
} from '../admin.js';
import {
  type ActionError,
  announce,
  Badge,
  ConfirmDialog,
  ErrorText,
  Facts,
  FieldError,
  Id,
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
import type { Dialect, FindingJson, MerchantJson, RunJson, RunWithFindingsJson } from '../types.js';
import { findingCount, RECONCILED_DIALECTS } from '../../domain/reconciliation.js';
import { findingText } from './finding-text.js';

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

function UploadForm(props: {
  merchants: readonly MerchantJson[];
  onStarted: (run: RunJson) => void;
}) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<ActionError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const file = form.get('report');
    const merchantId = String(form.get('merchant_id') ?? '');
    const dialect = String(form.get('dialect') ?? '');
    const from = localDateTimeToIso(String(form.get('from') ?? ''));
    const to = localDateTimeToIso(String(form.get('to') ?? ''));
    setError(null);
    try {
      if (!merchantId) throw new FieldError('merchant_id', t('recon.merchantRequired'));
      if (!dialect) throw new FieldError('dialect', t('recon.faceRequired'));
      if (!(file instanceof File) || file.size === 0) {
        throw new FieldError('report', t('recon.fileRequired'));
      }
      if (!from || !to) throw new FieldError('window', t('recon.windowRequired'));
      setBusy(true);
      const run = await startReconciliation({ merchantId, dialect }, from, to, file);
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
  const merchantIssues = issuesFor(error, 'merchant_id');
  const faceIssues = issuesFor(error, 'dialect');
  const fileIssues = issuesFor(error, 'report');
  const windowIssues = [
    ...issuesFor(error, 'window'),
    ...issuesFor(error, 'from'),
    ...issuesFor(error, 'to'),
  ];
  const fieldIssues = [merchantIssues, faceIssues, fileIssues, windowIssues].flat();
  const general = error && fieldIssues.length === 0 ? error : null;
  return (
    <section aria-labelledby="upload-title" class="card">
      <h2 id="upload-title">{t('recon.upload')}</h2>
      <form class="filters" onSubmit={submit} noValidate>
        <ScopeSelect
          id="recon-merchant"
          name="merchant_id"
          label={t('recon.merchant')}
          placeholder={t('recon.pickMerchant')}
          options={props.merchants.map((m) => [m.id, m.name] as const)}
          issues={merchantIssues}
        />
        <ScopeSelect
          id="recon-face"
          name="dialect"
          label={t('recon.face')}
          placeholder={t('recon.pickFace')}
          options={RECONCILED_DIALECTS.map((d) => [d, t(`face.${d}`)] as const)}
          issues={faceIssues}
        />
        <p id="recon-scope-help" class="help wide">
          {t('recon.scopeHelp')}
        </p>
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

/** A required choice of the run's scope, with its own error line. */
function ScopeSelect(props: {
  id: string;
  name: string;
  label: string;
  placeholder: string;
  options: readonly (readonly [value: string, label: string])[];
  issues: readonly string[];
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        name={props.name}
        required
        aria-describedby={`recon-scope-help ${props.id}-error`}
        aria-invalid={props.issues.length > 0 ? 'true' : undefined}
      >
        <option value="">{props.placeholder}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <p id={`${props.id}-error`} class="field-error">
        {props.issues.join(' ')}
      </p>
    </div>
  );
}

function RunView(props: {
  runId: string;
  scopeLabel: (run: RunJson) => string;
  onChanged: () => void;
}) {
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
          <p>
            {t('recon.scope')}: <span class="scope">{props.scopeLabel(data)}</span>
          </p>
          {data.error && <p class="error">{data.error}</p>}
          <h3>{t('recon.summary')}</h3>
          <Facts
            items={Object.entries(data.summary).map(
              ([key, value]) => [codeLabel(t, 'code', key), formatNumber(value, lang)] as const,
            )}
          />
          <div class="actions-bar">
            {/* A run from before scopes is never applied (the server refuses it too). */}
            {(data.status === 'completed' || data.status === 'applied') && data.merchant_id && (
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
                      <Id value={f.order_reference ?? f.order_id} />
                    </Link>
                  ) : (
                    <Id value={f.order_reference ?? '—'} />
                  ),
              },
              {
                label: t('recon.type'),
                render: (f) => (f.type ? codeLabel(t, 'rowType', f.type) : '—'),
              },
              {
                label: t('recon.expected'),
                render: (f) => amount(f.expected_minor, f.expected_currency),
              },
              {
                label: t('recon.reported'),
                render: (f) => amount(f.reported_minor, f.reported_currency),
              },
              { label: t('recon.message'), render: (f) => findingText(t, f, amount) },
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
          dismissLabel={t('recon.keep')}
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
