/**
 * The reconciliation page's upload: whose report it is (merchant and face), the file, and the
 * window it covers; submitting starts a dry run.
 */
import { useState } from 'preact/hooks';
import { findingCount, RECONCILED_DIALECTS } from '../../domain/reconciliation.js';
import { startReconciliation } from '../admin.js';
import {
  type ActionError,
  announce,
  ErrorText,
  FieldError,
  issuesFor,
  toActionError,
} from '../components.js';
import { formatNumber, localDateTimeToIso } from '../format.js';
import { type Translate, useI18n } from '../i18n.js';
import type { MerchantJson, RunJson } from '../types.js';

/** The form's values, or a FieldError naming the first one missing. */
function readUpload(form: FormData, t: Translate) {
  const file = form.get('report');
  const merchantId = String(form.get('merchant_id') ?? '');
  const dialect = String(form.get('dialect') ?? '');
  const from = localDateTimeToIso(String(form.get('from') ?? ''));
  const to = localDateTimeToIso(String(form.get('to') ?? ''));
  if (!merchantId) throw new FieldError('merchant_id', t('recon.merchantRequired'));
  if (!dialect) throw new FieldError('dialect', t('recon.faceRequired'));
  if (!(file instanceof File) || file.size === 0) {
    throw new FieldError('report', t('recon.fileRequired'));
  }
  if (!from || !to) throw new FieldError('window', t('recon.windowRequired'));
  return { merchantId, dialect, from, to, file };
}

/** The error's issues by field, and the error itself when it names none of them. */
function uploadIssues(error: ActionError | null) {
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
  return { merchantIssues, faceIssues, fileIssues, windowIssues, general };
}

export function UploadForm(props: {
  merchants: readonly MerchantJson[];
  onStarted: (run: RunJson) => void;
}) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<ActionError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setError(null);
    try {
      const { merchantId, dialect, from, to, file } = readUpload(form, t);
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
  const { merchantIssues, faceIssues, fileIssues, windowIssues, general } = uploadIssues(error);
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
        <ReportFields fileIssues={fileIssues} windowIssues={windowIssues} />
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

/** The report's file and the window it covers, each with its error line. */
function ReportFields(props: { fileIssues: readonly string[]; windowIssues: readonly string[] }) {
  const { t } = useI18n();
  return (
    <>
      <div class="field wide">
        <label for="recon-file">{t('recon.file')}</label>
        <input
          id="recon-file"
          name="report"
          type="file"
          accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
          required
          aria-describedby="recon-file-help recon-file-error"
          aria-invalid={props.fileIssues.length > 0 ? 'true' : undefined}
        />
        <p id="recon-file-help" class="help">
          {t('recon.fileHelp')}
        </p>
        <p id="recon-file-error" class="field-error">
          {props.fileIssues.join(' ')}
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
        {props.windowIssues.join(' ')}
      </p>
    </>
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
