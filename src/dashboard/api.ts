/**
 * The dashboard's only way to the server: the admin API, with the session cookie the browser
 * sends by itself and the CSRF token on every request that changes anything.
 */

/** An admin API error, in the admin face's shape `{ error: { code, message, issues? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
/** Called when the server says the session has ended, so the app can show the sign-in form. */
let onSignedOut: () => void = () => undefined;

export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};
export const whenSignedOut = (handler: () => void) => {
  onSignedOut = handler;
};

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  /** A raw body (a reconciliation report) with its media type, instead of JSON. */
  readonly raw?: { readonly contentType: string; readonly data: Blob | string };
  readonly idempotencyKey?: string;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.data;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`/admin${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body } : {}),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const apiError = new ApiError(
      response.status,
      String(error['code'] ?? 'http.error'),
      String(error['message'] ?? response.statusText),
      (error['issues'] as { path: string; message: string }[] | undefined) ?? [],
      typeof error['request_id'] === 'string' ? error['request_id'] : null,
    );
    if (response.status === 401 && !path.startsWith('/session')) onSignedOut();
    throw apiError;
  }
  return parsed as T;
}

/** Who signed in: a named operator, or the bootstrap admin (`kind: 'bootstrap'`). */
export interface SessionOperator {
  readonly id: string | null;
  readonly name: string;
  readonly kind: 'bootstrap' | 'operator' | 'service';
  readonly role: 'viewer' | 'support' | 'admin';
  readonly limit_minor: number | null;
}

export interface SessionInfo {
  readonly csrf_token: string;
  readonly expires_at: string;
  readonly operator: SessionOperator;
}

/** The operator of the current session (null when signed out). */
export let sessionOperator: SessionOperator | null = null;

/** An operator's name, password and TOTP code, or the bootstrap admin token. */
export type SignInCredentials =
  | { readonly token: string }
  | { readonly name: string; readonly password: string; readonly code?: string };

export async function signIn(credentials: SignInCredentials): Promise<SessionInfo> {
  const session = await api<SessionInfo>('/session', { method: 'POST', body: credentials });
  setCsrfToken(session.csrf_token);
  sessionOperator = session.operator;
  return session;
}

/** The current session after a reload, or null when signed out. */
export async function resumeSession(): Promise<SessionInfo | null> {
  try {
    const session = await api<SessionInfo>('/session');
    setCsrfToken(session.csrf_token);
    sessionOperator = session.operator;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signOut(): Promise<void> {
  await api<void>('/session', { method: 'DELETE' });
  setCsrfToken(null);
}
