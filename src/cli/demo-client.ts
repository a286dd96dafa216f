/**
 * The HTTP client `unwind demo` seeds with: requests go through the real server's routes and use
 * cases with `inject()` (no socket), as the admin, or as a merchant on one of its faces. Every
 * answer must have the expected status; anything else stops the demo with the request and the
 * answer, since the demo's data must be exactly what it says it made.
 */
import type { FastifyInstance } from 'fastify';

/** How a request authenticates: the admin token, a face's merchant key, or nothing. */
export type DemoAuth =
  | { readonly admin: string }
  | { readonly pointsKey: string }
  | { readonly backd: { readonly publicKey: string; readonly secretKey: string } }
  | { readonly mpgKey: string }
  | null;

// Answers are whatever the faces render; each story reads the fields it needs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

function authHeaders(auth: DemoAuth): Record<string, string> {
  if (auth === null) return {};
  if ('admin' in auth) return { authorization: `Bearer ${auth.admin}` };
  if ('pointsKey' in auth) return { 'x-api-key': auth.pointsKey };
  if ('mpgKey' in auth) return { authorization: `Bearer ${auth.mpgKey}` };
  const basic = Buffer.from(`${auth.backd.publicKey}:${auth.backd.secretKey}`).toString('base64');
  return { authorization: `Basic ${basic}` };
}

export class DemoClient {
  constructor(private readonly server: FastifyInstance) {}

  /** A JSON request that must answer `expected` (200 unless said); returns the parsed body. */
  async json(
    auth: DemoAuth,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    expected = 200,
  ): Promise<Json> {
    const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(auth) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.send(
      method,
      url,
      headers,
      body === undefined ? undefined : JSON.stringify(body),
      expected,
    );
  }

  /** A request with a body of another type (a settlement report). */
  async raw(
    auth: DemoAuth,
    url: string,
    contentType: string,
    payload: string,
    expected: number,
  ): Promise<Json> {
    const headers = { 'content-type': contentType, ...authHeaders(auth) };
    return this.send('POST', url, headers, payload, expected);
  }

  private async send(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload: string | undefined,
    expected: number,
  ): Promise<Json> {
    const res = await this.server.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    if (res.statusCode !== expected) {
      throw new Error(
        `demo: ${method} ${url} answered ${res.statusCode} (expected ${expected}): ${res.body.slice(0, 500)}`,
      );
    }
    return res.body ? JSON.parse(res.body) : null;
  }
}
