/** Errors of actions: what the API or the browser refused, shown next to fields or as a whole. */
import { ApiError } from '../api.js';
import { apiErrorText, useI18n } from '../i18n.js';

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
