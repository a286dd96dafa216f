/** The modal confirmation dialog every action asks through. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n.js';
import { type ActionError, ErrorText, FieldError, issuesFor, toActionError } from './errors.js';

/** Fields a confirmation dialog shows its issues beside. */
const FIELD_PATHS = ['reason', 'amount_minor', 'url'];

/** Issues about a field are shown beside it; anything else (or an error without issues) below. */
const generalError = (error: ActionError | null): ActionError | null =>
  error && (error.issues.length === 0 || error.issues.some((i) => !FIELD_PATHS.includes(i.path)))
    ? error
    : null;

export interface Confirmation {
  /** The non-empty, trimmed reason (empty when the dialog asks for none). */
  readonly reason: string;
  /**
   * The Idempotency-Key for `request`: the same for the same request within this confirmation
   * (a retry after a network error), a new one when the request changed.
   */
  readonly keyFor: (request: unknown) => string;
}

export interface ConfirmDialogProps {
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
}

/**
 * A modal confirmation: `showModal()` traps focus, Esc closes it, and focus returns to the
 * element that opened it. Asks for a reason unless `withReason` is false. `onConfirm` throws to
 * show its error (next to a field when the error names one); resolving closes the dialog.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { t } = useI18n();
  const ref = useModal(props.onClose);
  const keyFor = useRequestKeys();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const withReason = props.withReason ?? true;

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
      await props.onConfirm({ reason: trimmed, keyFor });
      setBusy(false);
      ref.current?.close();
    } catch (e) {
      setBusy(false);
      setError(toActionError(e));
    }
  };

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
          <ReasonField value={reason} issues={issuesFor(error, 'reason')} onInput={setReason} />
        )}
        <ErrorText error={generalError(error)} />
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
 * Opens the dialog as a modal when it mounts: `showModal()` traps focus and Esc closes it. Its
 * closing calls the latest `onClose`; unmounting closes it and gives focus back to the element
 * that opened it.
 */
function useModal(onClose: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const latest = useRef(onClose);
  latest.current = onClose;
  useEffect(() => {
    const trigger = document.activeElement as HTMLElement | null;
    const dialog = ref.current!;
    const closed = () => latest.current();
    dialog.addEventListener('close', closed);
    dialog.showModal();
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      trigger?.focus();
    };
  }, []);
  return ref;
}

/** `Confirmation.keyFor`: one Idempotency-Key per distinct request for the dialog's life. */
function useRequestKeys(): (request: unknown) => string {
  const keys = useRef(new Map<string, string>());
  return (request) => {
    const fingerprint = JSON.stringify(request);
    let key = keys.current.get(fingerprint);
    if (!key) {
      key = crypto.randomUUID();
      keys.current.set(fingerprint, key);
    }
    return key;
  };
}

/** The dialog's required reason, with its help and its issues. */
function ReasonField(props: {
  value: string;
  issues: readonly string[];
  onInput: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for="dialog-reason">{t('common.reason')}</label>
      <textarea
        id="dialog-reason"
        name="reason"
        required
        maxLength={500}
        rows={3}
        value={props.value}
        aria-invalid={props.issues.length > 0 ? 'true' : undefined}
        aria-describedby="dialog-reason-help dialog-reason-error"
        onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
      />
      <p id="dialog-reason-help" class="help">
        {t('common.reasonHelp')}
      </p>
      <p id="dialog-reason-error" class="field-error">
        {props.issues.join(' ')}
      </p>
    </div>
  );
}
