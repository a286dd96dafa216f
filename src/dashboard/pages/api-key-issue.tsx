/**
 * Issuing an MPG key from the API keys page: permission boxes (one at least), an optional IP
 * whitelist typed one entry a line and judged by the admin API's own rule before anything is sent,
 * the server's refusals shown beside their field; then the key, shown once in a dialog with a copy
 * button, since the API never lists it again.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { IP_WHITELIST_ENTRIES_MAX } from '../../domain/ip-entries.js';
import { MPG_PERMISSIONS, type MpgPermission } from '../../domain/merchant.js';
import { type IssuedKeyJson, issueMpgKey, parseWhitelist } from '../api-keys-api.js';
import { type ActionError, announce, ErrorText, toActionError } from '../components.js';
import { type Translate, useI18n } from '../i18n.js';

/** The problems of what was typed, by field, before anything is sent. */
function typedProblems(t: Translate, permissions: readonly string[], whitelist: string) {
  const typed = parseWhitelist(whitelist);
  const whitelistProblems = typed.invalid.map((i) => t('apiKeys.whitelistInvalid', i));
  if (typed.tooMany) {
    whitelistProblems.push(t('apiKeys.whitelistTooMany', { max: IP_WHITELIST_ENTRIES_MAX }));
  }
  return {
    typed,
    permissions: permissions.length === 0 ? [t('apiKeys.permissionsRequired')] : [],
    whitelist: whitelistProblems,
  };
}

/**
 * The server's issues by field: `permissions…` beside the boxes; `ip_whitelist.<n>` beside the
 * whitelist, named by the line the n-th entry was typed on; anything else in the general error.
 */
function serverProblems(t: Translate, error: ActionError | null, lines: readonly number[]) {
  const issues = error?.issues ?? [];
  const whitelist = issues
    .filter((i) => i.path === 'ip_whitelist' || i.path.startsWith('ip_whitelist.'))
    .map((i) => {
      const index = Number(i.path.split('.')[1]);
      const line = lines[index];
      return line === undefined
        ? i.message
        : t('apiKeys.whitelistLine', { line, message: i.message });
    });
  const permissions = issues
    .filter((i) => i.path === 'permissions' || i.path.startsWith('permissions.'))
    .map((i) => i.message);
  const fieldIssues = permissions.length + whitelist.length;
  const general = error && (issues.length === 0 || issues.length > fieldIssues) ? error : null;
  return { permissions, whitelist, general };
}

function PermissionBoxes(props: {
  chosen: readonly MpgPermission[];
  problems: readonly string[];
  onToggle: (permission: MpgPermission, on: boolean) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset aria-describedby="key-permissions-error">
      <legend>{t('apiKeys.permissionsLegend')}</legend>
      {MPG_PERMISSIONS.map((p, i) => (
        <label key={p} class="choice">
          <input
            id={`key-permission-${i}`}
            type="checkbox"
            name="permissions"
            value={p}
            checked={props.chosen.includes(p)}
            aria-invalid={props.problems.length > 0 ? 'true' : undefined}
            onChange={(e) => props.onToggle(p, (e.target as HTMLInputElement).checked)}
          />
          <span>
            {t(`permission.${p}`)}{' '}
            <code class="muted" dir="ltr">
              {p}
            </code>
          </span>
        </label>
      ))}
      <p id="key-permissions-error" class="field-error">
        {props.problems.join(' ')}
      </p>
    </fieldset>
  );
}

function WhitelistField(props: {
  value: string;
  problems: readonly string[];
  onInput: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for="key-whitelist">{t('apiKeys.whitelistLabel')}</label>
      <textarea
        id="key-whitelist"
        name="ip_whitelist"
        dir="ltr"
        rows={4}
        spellcheck={false}
        autocomplete="off"
        value={props.value}
        aria-invalid={props.problems.length > 0 ? 'true' : undefined}
        aria-describedby="key-whitelist-help key-whitelist-error"
        onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
      />
      <p id="key-whitelist-help" class="help">
        {t('apiKeys.whitelistHelp')}
      </p>
      <p id="key-whitelist-error" class="field-error">
        {props.problems.join(' ')}
      </p>
    </div>
  );
}

export function IssueKeyForm(props: {
  merchantId: string;
  onIssued: (key: IssuedKeyJson) => void;
}) {
  const { t } = useI18n();
  const [permissions, setPermissions] = useState<MpgPermission[]>([]);
  const [whitelist, setWhitelist] = useState('');
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<ReturnType<typeof typedProblems> | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  // The same request sent again (after a lost answer) keeps its Idempotency-Key, so it issues
  // one key; a changed request, or one after a success, gets a new key.
  const keys = useRef(new Map<string, string>());
  const toggle = (p: MpgPermission, on: boolean) =>
    setPermissions((now) => MPG_PERMISSIONS.filter((x) => (x === p ? on : now.includes(x))));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems = typedProblems(t, permissions, whitelist);
    setShown(problems);
    setError(null);
    if (problems.permissions.length > 0 || problems.whitelist.length > 0) {
      const first = problems.permissions.length > 0 ? 'key-permission-0' : 'key-whitelist';
      document.getElementById(first)?.focus();
      return;
    }
    const body = { permissions, ip_whitelist: problems.typed.entries };
    const fingerprint = JSON.stringify([props.merchantId, body]);
    const key = keys.current.get(fingerprint) ?? crypto.randomUUID();
    keys.current.set(fingerprint, key);
    setBusy(true);
    try {
      const issued = await issueMpgKey(props.merchantId, body, key);
      keys.current.clear();
      setPermissions([]);
      setWhitelist('');
      setShown(null);
      announce(t('apiKeys.issued', { prefix: issued.prefix }));
      props.onIssued(issued);
    } catch (e) {
      setError(toActionError(e));
    } finally {
      setBusy(false);
    }
  };

  const server = serverProblems(t, error, shown?.typed.lines ?? []);
  const permissionProblems = [...(shown?.permissions ?? []), ...server.permissions];
  const whitelistProblems = [...(shown?.whitelist ?? []), ...server.whitelist];
  return (
    <section aria-labelledby="issue-title">
      <h2 id="issue-title">{t('apiKeys.issue')}</h2>
      <p>{t('apiKeys.issueText')}</p>
      <form onSubmit={submit} noValidate>
        <PermissionBoxes chosen={permissions} problems={permissionProblems} onToggle={toggle} />
        <WhitelistField value={whitelist} problems={whitelistProblems} onInput={setWhitelist} />
        <ErrorText error={server.general} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.working') : t('apiKeys.issueSubmit')}
        </button>
      </form>
    </section>
  );
}

/** Copies `text`: the Clipboard API where the page may use it, else the selected field. */
async function copy(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.select();
    return document.execCommand('copy');
  }
}

/** A key just issued: shown here once (the API lists only its prefix), with a copy button. */
export function KeyOnceDialog(props: { issued: IssuedKeyJson; onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const dialog = ref.current!;
    const trigger = document.activeElement as HTMLElement | null;
    const closed = () => onClose.current();
    dialog.addEventListener('close', closed);
    dialog.showModal();
    // Selected, so a copy by hand takes it whole.
    field.current?.select();
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      trigger?.focus();
    };
  }, []);
  const { issued } = props;
  return (
    <dialog
      ref={ref}
      class="confirm secret"
      aria-labelledby="key-title"
      aria-describedby="key-text"
    >
      <form method="dialog">
        <h2 id="key-title">{t('apiKeys.onceTitle', { prefix: issued.prefix })}</h2>
        <p id="key-text" class="notice">
          {t('apiKeys.onceText')}
        </p>
        <div class="field">
          <label for="issued-key">{t('apiKeys.onceLabel')}</label>
          <input
            id="issued-key"
            ref={field}
            type="text"
            dir="ltr"
            readOnly
            autocomplete="off"
            spellcheck={false}
            value={issued.api_key}
          />
        </div>
        <p role="status" class="help">
          {copied === null ? '' : t(copied ? 'apiKeys.copied' : 'apiKeys.copyFailed')}
        </p>
        <div class="dialog-actions">
          <button
            type="button"
            onClick={() => void copy(issued.api_key, field.current).then(setCopied)}
          >
            {t('apiKeys.copy')}
          </button>
          <button type="submit" class="primary">
            {t('apiKeys.onceDone')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
