/**
 * Operators for HTTP suites: invite and accept over the admin API, sign in with a password (and a
 * TOTP code), and requests made with the session cookie and CSRF token as the dashboard makes
 * them, or with an operator's API token.
 */
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';

export const OPERATOR_PASSWORD = 'correct horse battery staple';
/** The Origin the dashboard's requests carry in these suites (the request's own Host). */
export const OWN_ORIGIN = 'http://localhost:80';

export interface OperatorSession {
  readonly cookie: string;
  readonly csrf: string;
  readonly operator: { id: string | null; name: string; role: string };
}

/** Invites an operator as the bootstrap admin and accepts the invite; returns its id. */
export async function createOperator(
  t: TestApp,
  name: string,
  role: 'viewer' | 'support' | 'admin',
  limitMinor: number | null = null,
): Promise<string> {
  const invited = await t.call<{ id: string; invite_token: string }>(
    {
      method: 'POST',
      url: '/admin/operators',
      payload: { name, role, ...(limitMinor === null ? {} : { limit_minor: limitMinor }) },
    },
    201,
  );
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/admin/invites/accept',
    payload: { token: invited.invite_token, password: OPERATOR_PASSWORD },
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  return invited.id;
}

export async function signIn(
  t: TestApp,
  name: string,
  extra: { password?: string; code?: string } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/admin/session',
    payload: {
      name,
      password: extra.password ?? OPERATOR_PASSWORD,
      ...(extra.code ? { code: extra.code } : {}),
    },
  });
}

export async function signedIn(t: TestApp, name: string, code?: string): Promise<OperatorSession> {
  const r = await signIn(t, name, code ? { code } : {});
  assert.equal(r.statusCode, 201, r.body);
  const body = r.json() as { csrf_token: string; operator: OperatorSession['operator'] };
  const cookie = String(r.headers['set-cookie']).split(';')[0]!;
  return { cookie, csrf: body.csrf_token, operator: body.operator };
}

/** A request as the dashboard sends it with this session. */
export const asSession = (t: TestApp, s: OperatorSession, options: InjectOptions) =>
  t.app.inject({
    ...options,
    headers: { ...options.headers, cookie: s.cookie, 'x-csrf-token': s.csrf },
  });

/** A request with a bearer token (an operator's or service's API token). */
export const withToken = (t: TestApp, token: string, options: InjectOptions) =>
  t.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } });

export const errorCodeOf = (r: LightMyRequestResponse) =>
  (r.json() as { error: { code: string } }).error.code;
