/** One reconciliation run: its scope, summary and findings; apply it or download its findings. */
import { useState } from 'preact/hooks';
import { applyRun, getRun, runExportUrl } from '../admin.js';
import {
  announce,
  Badge,
  type Column,
  ConfirmDialog,
  ErrorText,
  Facts,
  Id,
  Link,
  Table,
  useLoad,
} from '../components.js';
import { formatInstant, formatMoney, formatNumber } from '../format.js';
import { codeLabel, type Translate, useI18n } from '../i18n.js';
import { href } from '../router.js';
import type { FindingJson, RunJson, RunWithFindingsJson } from '../types.js';
import { findingText } from './finding-text.js';

export function RunView(props: {
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
          <RunActions run={data} onApply={() => setApplying(true)} />
          <h3>{t('recon.findings')}</h3>
          {data.findings_truncated && <p class="muted">{t('recon.truncated')}</p>}
          <Table<FindingJson>
            caption={t('recon.findings')}
            captionHidden
            rows={data.findings}
            rowKey={(f) => String(f.seq)}
            empty={t('recon.noFindings')}
            columns={findingColumns(t, amount)}
          />
        </>
      )}
      {applying && data && (
        <ApplyDialog
          run={data}
          onClose={() => setApplying(false)}
          onApplied={() => {
            run.reload();
            props.onChanged();
          }}
        />
      )}
    </section>
  );
}

/** Apply (a scoped run that completed), and the findings' downloads. */
function RunActions(props: { run: RunWithFindingsJson; onApply: () => void }) {
  const { t } = useI18n();
  const data = props.run;
  return (
    <div class="actions-bar">
      {/* A run from before scopes is never applied (the server refuses it too). */}
      {(data.status === 'completed' || data.status === 'applied') && data.merchant_id && (
        <button type="button" class="primary" onClick={props.onApply}>
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
  );
}

type Amount = (minor: number | null, currency: string | null) => string;

function findingColumns(t: Translate, amount: Amount): Column<FindingJson>[] {
  return [
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
  ];
}

function ApplyDialog(props: {
  run: RunWithFindingsJson;
  onClose: () => void;
  onApplied: () => void;
}) {
  const { t } = useI18n();
  const data = props.run;
  return (
    <ConfirmDialog
      title={t('recon.applyTitle', { id: data.id })}
      description={t('recon.applyText')}
      confirmLabel={t('recon.apply')}
      dismissLabel={t('recon.keep')}
      withReason={false}
      onClose={props.onClose}
      onConfirm={async ({ keyFor }) => {
        const applied = await applyRun(data.id, keyFor({ apply: data.id }));
        announce(t('recon.applied', { refunded: applied.summary['auto_refunded'] ?? 0 }));
        props.onApplied();
      }}
    />
  );
}
