/** Shared pieces of the dashboard: links, tables that stack on phones, badges, dialogs, the live region. */
import { type ComponentChildren, Fragment, type JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { formatCountdown } from './format.js';
import { apiErrorText, codeLabel, useI18n } from './i18n.js';
import { followLink } from './router.js';

/**
 * The page's one h1. It takes focus after every route change (the shell does that), so a screen
 * reader announces the new page; the document title follows it.
 */
export function PageTitle({ children }: { children: string }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${children} · ${t('app.name')}`;
  }, [children, t]);
  return (
    <h1 id="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} onClick={followLink} />;
}

/** What a failed action shows: its message, the field issues, and the request id to quote. */
export interface ActionError {
  /** The API's error code; null for an error of the browser's own. */
  readonly code: string | null;
  readonly message: string;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  readonly requestId: string | null;
}

export function toActionError(error: unknown): ActionError {
  if (error instanceof ApiError) {
    return {
      code: error.code,
      message: error.message,
      issues: error.issues,
      requestId: error.requestId,
    };
  }
  if (error instanceof FieldError) {
    return {
      code: null,
      message: error.message,
      issues: [{ path: error.path, message: error.message }],
      requestId: null,
    };
  }
  return {
    code: null,
    message: error instanceof Error ? error.message : String(error),
    issues: [],
    requestId: null,
  };
}

/** A value refused in the browser before anything is sent, shown next to its field. */
export class FieldError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The issues of `error` about `path` (the API's issue paths, e.g. `amount_minor`). */
export const issuesFor = (error: ActionError | null, path: string): string[] =>
  error?.issues.filter((i) => i.path === path).map((i) => i.message) ?? [];

export function ErrorText({ error, id }: { error: ActionError | null; id?: string }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const message = apiErrorText(t, lang, error.code, error.message);
  return (
    <div id={id} class="error" role="alert">
      <p>{t('common.error', { message })}</p>
      {error.issues.length > 0 && (
        <ul>
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? `${issue.path}: ` : ''}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
      {error.requestId && <p class="muted">{t('common.requestId', { id: error.requestId })}</p>}
    </div>
  );
}

/** Loads `load()` when `deps` change; `reload` runs it again. Errors become ActionErrors. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{
    data: T | null;
    error: ActionError | null;
    loading: boolean;
  }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        live && setState({ data: null, error: toActionError(error), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

let announceTo: (message: string) => void = () => undefined;

/** Says `message` in the page's live region (screen readers read it; it is visible too). */
export const announce = (message: string) => announceTo(message);

export function Announcer() {
  const [message, setMessage] = useState('');
  useEffect(() => {
    announceTo = (text) => {
      // Emptied first so the same words said twice are announced twice.
      setMessage('');
      window.setTimeout(() => setMessage(text), 50);
    };
  }, []);
  return (
    <div class={message ? 'announcer' : 'announcer empty'} role="status" aria-live="polite">
      {message}
    </div>
  );
}

const BADGE_TONES: Record<string, { tone: string; icon: string }> = {
  delivered: { tone: 'ok', icon: '✓' },
  enabled: { tone: 'ok', icon: '✓' },
  captured: { tone: 'ok', icon: '●' },
  approved: { tone: 'ok', icon: '✓' },
  succeeded: { tone: 'ok', icon: '✓' },
  completed: { tone: 'ok', icon: '✓' },
  applied: { tone: 'ok', icon: '✓' },
  refunded: { tone: 'info', icon: '↺' },
  partially_refunded: { tone: 'info', icon: '↺' },
  pending: { tone: 'wait', icon: '…' },
  authorized: { tone: 'wait', icon: '…' },
  draft: { tone: 'wait', icon: '…' },
  dead: { tone: 'bad', icon: '✗' },
  failed: { tone: 'bad', icon: '✗' },
  disabled: { tone: 'bad', icon: '⏸' },
  cancelled: { tone: 'neutral', icon: '–' },
  voided: { tone: 'neutral', icon: '–' },
  declined: { tone: 'neutral', icon: '–' },
  timeout: { tone: 'bad', icon: '✗' },
  system_error: { tone: 'bad', icon: '✗' },
  processing: { tone: 'wait', icon: '…' },
  pending_grace: { tone: 'wait', icon: '…' },
  auto_refund: { tone: 'wait', icon: '↺' },
  auto_refunded: { tone: 'info', icon: '↺' },
  // Backd's own statuses.
  created: { tone: 'wait', icon: '…' },
  terms_selected: { tone: 'wait', icon: '…' },
  order_placed: { tone: 'wait', icon: '…' },
  order_confirmed: { tone: 'ok', icon: '●' },
  order_canceled: { tone: 'neutral', icon: '–' },
  refund: { tone: 'info', icon: '↺' },
};

/** A status as words with an icon beside the colour, so it never depends on colour alone. */
export function Badge({ status }: { status: string }) {
  const { t } = useI18n();
  const look = BADGE_TONES[status] ?? { tone: 'neutral', icon: '•' };
  // A status the dictionary does not name (a provider's own) is shown as sent.
  const label = codeLabel(t, 'status', status);
  return (
    <span class={`badge badge-${look.tone}`} data-status={status}>
      <span aria-hidden="true">{look.icon}</span> {label}
    </span>
  );
}

export interface Column<T> {
  readonly label: string;
  readonly render: (row: T) => ComponentChildren;
  /** A column that is the row's title on a phone (shown without its label). */
  readonly primary?: boolean;
}

/**
 * A table with a caption and column headers; on a phone each row becomes a card whose cells
 * carry their column's label (`data-label`, shown by the stylesheet).
 */
export function Table<T>(props: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  empty: string;
  captionHidden?: boolean;
}) {
  if (props.rows.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <div class="table-wrap">
      <table class="responsive">
        <caption class={props.captionHidden ? 'visually-hidden' : undefined}>
          {props.caption}
        </caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.label} data-label={c.label} class={c.primary ? 'primary' : undefined}>
                  {/* One box per cell: on a phone the cell is a two-column grid (label, value),
                      and a value of several lines must stay in the value's column. */}
                  <div class="cell">{c.render(row)}</div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Previous/next buttons over a keyset cursor; the caller keeps the stack of earlier cursors. */
export function Pager(props: {
  page: number;
  hasPrevious: boolean;
  nextCursor: string | null;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) {
  const { t } = useI18n();
  return (
    <nav class="pager" aria-label={t('orders.page', { n: props.page })}>
      <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        {t('common.previous')}
      </button>
      <span>{t('orders.page', { n: props.page })}</span>
      <button
        type="button"
        disabled={!props.nextCursor}
        onClick={() => props.nextCursor && props.onNext(props.nextCursor)}
      >
        {t('common.next')}
      </button>
    </nav>
  );
}

/**
 * Keyset pages kept in memory (not in the URL): the cursor of the page shown and the cursors of
 * the pages before it, for a `Pager`.
 */
export function useCursorPages() {
  const [stack, setStack] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  return {
    cursor,
    /** Back to the first page (new filters, or a new row at the top). */
    reset: () => {
      setStack([]);
      setCursor(undefined);
    },
    /** The Pager's props for the page shown, whose answer gave `nextCursor`. */
    pager: (nextCursor: string | null) => ({
      page: stack.length + 1,
      hasPrevious: stack.length > 0,
      nextCursor,
      onPrevious: () => {
        setCursor(stack.at(-1) || undefined);
        setStack(stack.slice(0, -1));
      },
      onNext: (next: string) => {
        setStack([...stack, cursor ?? '']);
        setCursor(next);
      },
    }),
  };
}

/** Time left until `targetMs` on the server's clock (`offsetMs` = server now − browser now). */
export function Countdown({ targetMs, offsetMs }: { targetMs: number; offsetMs: number }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const timer = window.setInterval(() => setNow(Date.now() + offsetMs), 1000);
    return () => window.clearInterval(timer);
  }, [offsetMs]);
  const left = targetMs - now;
  if (left <= 0) return <span class="countdown">{t('timeline.locked')}</span>;
  return (
    <span class="countdown" role="timer" data-remaining-ms={Math.round(left)}>
      {formatCountdown(left, t('timeline.dayUnit'))}
    </span>
  );
}

/** Fields a confirmation dialog shows its issues beside. */
const FIELD_PATHS = ['reason', 'amount_minor', 'url'];

export interface Confirmation {
  /** The non-empty, trimmed reason (empty when the dialog asks for none). */
  readonly reason: string;
  /**
   * The Idempotency-Key for `request`: the same for the same request within this confirmation
   * (a retry after a network error), a new one when the request changed.
   */
  readonly keyFor: (request: unknown) => string;
}

/**
 * A modal confirmation: `showModal()` traps focus, Esc closes it, and focus returns to the
 * element that opened it. Asks for a reason unless `withReason` is false. `onConfirm` throws to
 * show its error (next to a field when the error names one); resolving closes the dialog.
 */
export function ConfirmDialog(props: {
  title: string;
  description: string;
  confirmLabel: string;
  /** The button that closes without acting, saying so ("Keep the order"); "Go back" if unset. */
  dismissLabel?: string;
  withReason?: boolean;
  danger?: boolean;
  children?: (error: ActionError | null) => ComponentChildren;
  onConfirm: (confirmation: Confirmation) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const keys = useRef(new Map<string, string>());
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const withReason = props.withReason ?? true;
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;

  useEffect(() => {
    const trigger = document.activeElement as HTMLElement | null;
    const dialog = ref.current!;
    const closed = () => onClose.current();
    dialog.addEventListener('close', closed);
    dialog.showModal();
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      trigger?.focus();
    };
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const trimmed = reason.trim();
    if (withReason && trimmed === '') {
      setError(toActionError(new FieldError('reason', t('common.reasonRequired'))));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm({
        reason: trimmed,
        keyFor: (request) => {
          const fingerprint = JSON.stringify(request);
          let key = keys.current.get(fingerprint);
          if (!key) {
            key = crypto.randomUUID();
            keys.current.set(fingerprint, key);
          }
          return key;
        },
      });
      setBusy(false);
      ref.current?.close();
    } catch (e) {
      setBusy(false);
      setError(toActionError(e));
    }
  };

  const reasonIssues = issuesFor(error, 'reason');
  // Issues about a field are shown beside it; anything else (or an error without issues) here.
  const generalError =
    error && (error.issues.length === 0 || error.issues.some((i) => !FIELD_PATHS.includes(i.path)))
      ? error
      : null;
  return (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby="dialog-title"
      aria-describedby="dialog-text"
      onCancel={(e) => busy && e.preventDefault()}
    >
      {/* Editing any field clears the last error: it was about what is being changed. */}
      <form onSubmit={submit} onInput={() => error && setError(null)} noValidate>
        <h2 id="dialog-title">{props.title}</h2>
        <p id="dialog-text">{props.description}</p>
        {props.children?.(error)}
        {withReason && (
          <div class="field">
            <label for="dialog-reason">{t('common.reason')}</label>
            <textarea
              id="dialog-reason"
              name="reason"
              required
              maxLength={500}
              rows={3}
              value={reason}
              aria-invalid={reasonIssues.length > 0 ? 'true' : undefined}
              aria-describedby="dialog-reason-help dialog-reason-error"
              onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
            />
            <p id="dialog-reason-help" class="help">
              {t('common.reasonHelp')}
            </p>
            <p id="dialog-reason-error" class="field-error">
              {reasonIssues.join(' ')}
            </p>
          </div>
        )}
        <ErrorText error={generalError} />
        <div class="dialog-actions">
          <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={busy}>
            {busy ? t('common.working') : props.confirmLabel}
          </button>
          <button type="button" onClick={() => ref.current?.close()} disabled={busy}>
            {props.dismissLabel ?? t('common.goBack')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/**
 * A labelled filter drop-down whose first choice is "All" (the empty value). Uncontrolled: the
 * form reads it on submit, and a new `defaultValue` needs a new key on the form.
 */
export function FilterSelect(props: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  options: readonly (readonly [value: string, label: string])[];
}) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {/* A select has no defaultValue in the DOM: the selected option's attribute is its default. */}
      <select id={props.id} name={props.name}>
        <option value="">{t('common.all')}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value} selected={value === props.defaultValue}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled, uncontrolled filter input (text or date). */
export function FilterInput(props: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  type: 'text' | 'date';
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.type}
        maxLength={props.type === 'text' ? 255 : undefined}
        defaultValue={props.defaultValue}
      />
    </div>
  );
}

/** A definition list of label/value pairs. */
export function Facts({ items }: { items: readonly (readonly [string, ComponentChildren])[] }) {
  return (
    <dl class="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * An id (a UUID, a provider's reference) that wraps after its hyphens, the points a reader
 * splits it at, and mid-segment only when one segment alone is wider than the line.
 */
export function Id({ value }: { value: string }) {
  return (
    <code class="id" dir="ltr">
      {value.split('-').map((part, i) =>
        i === 0 ? (
          part
        ) : (
          <Fragment key={i}>
            -<wbr />
            {part}
          </Fragment>
        ),
      )}
    </code>
  );
}
