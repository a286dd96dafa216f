/**
 * Sends one webhook POST and reports what happened, never throwing: a status code, or an error
 * (timeout, refused, blocked address, redirect not followed), the time it took, and the first
 * 1 KiB of the answer.
 *
 * Unless private delivery is allowed, every connection goes through the address guard
 * (src/webhooks/address-guard.ts): the connected address is checked before the first packet
 * and again before the first byte. Redirects are not followed: a 3xx is a failed attempt whose
 * error names the `Location` it pointed to.
 */
import http from 'node:http';
import https from 'node:https';
import {
  guardedLookup,
  guardSocket,
  literalRefusal,
  PrivateAddressRefused,
  type Resolver,
  systemResolver,
} from './address-guard.js';
import { STOP_RETRIES_HEADER } from '../domain/webhooks.js';

export interface SendResult {
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly responseExcerpt: string | null;
  readonly durationMs: number;
  /** The answer carried `Unwind-Stop-Retries: true` (STOP_RETRIES_HEADER). */
  readonly stopRetries: boolean;
}

export interface SenderOptions {
  readonly timeoutMs: number;
  /** UNWIND_WEBHOOK_ALLOW_PRIVATE: deliver to private and loopback addresses too. */
  readonly allowPrivate: boolean;
  readonly excerptBytes: number;
  /** Name resolution; the system's (dns.lookup) unless a test injects one. */
  readonly resolve?: Resolver;
}

export type WebhookSender = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<SendResult>;

/** How much of a redirect's `Location` the attempt log keeps. */
const LOCATION_CHARS_MAX = 200;

export function createSender(options: SenderOptions): WebhookSender & { close(): void } {
  // No per-host socket cap: the dispatcher bounds attempts per endpoint, merchant and process,
  // and a cap here would let one merchant's hanging endpoints on a shared host queue everyone
  // else's requests to that host behind them (each still timing from its creation).
  const agentOptions = { keepAlive: true, maxFreeSockets: 256 };
  const guarded = !options.allowPrivate;
  const lookup = guarded ? guardedLookup(options.resolve ?? systemResolver) : undefined;
  const agents = {
    'http:': new http.Agent({ ...agentOptions, ...(lookup ? { lookup } : {}) }),
    'https:': new https.Agent({ ...agentOptions, ...(lookup ? { lookup } : {}) }),
  };

  const send: WebhookSender = (url, headers, body) =>
    new Promise<SendResult>((resolve) => {
      const started = performance.now();
      const done: Done = (partial, stopRetries = false) =>
        resolve({ ...partial, stopRetries, durationMs: Math.round(performance.now() - started) });
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return done({ statusCode: null, error: 'invalid URL', responseExcerpt: null });
      }
      // A literal IP is connected to without a lookup: judge it as written.
      const refusal = guarded ? literalRefusal(target.hostname) : null;
      if (refusal) {
        const error = new PrivateAddressRefused(refusal).message;
        return done({ statusCode: null, error, responseExcerpt: null });
      }
      const agent = agents[target.protocol as 'http:' | 'https:'];
      const request = (target.protocol === 'https:' ? https : http).request(target, {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (guarded) guardSocket(request);
      request.on('response', (response) => readAnswer(response, options.excerptBytes, done));
      request.on('error', (error: Error) => {
        const message = requestErrorMessage(error, options.timeoutMs);
        done({ statusCode: null, error: message, responseExcerpt: null });
      });
      request.end(body);
    });

  return Object.assign(send, {
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}

/** Ends an attempt with what is known of it; the sender adds the time it took. */
type Done = (
  partial: Omit<SendResult, 'durationMs' | 'stopRetries'>,
  stopRetries?: boolean,
) => void;

/** Reads the answer, keeping its first `excerptBytes` bytes, and ends the attempt with it. */
function readAnswer(response: http.IncomingMessage, excerptBytes: number, done: Done): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  response.on('data', (chunk: Buffer) => {
    if (kept < excerptBytes) {
      chunks.push(chunk.subarray(0, excerptBytes - kept));
      kept += Math.min(chunk.length, excerptBytes - kept);
    }
  });
  const stop = String(response.headers[STOP_RETRIES_HEADER] ?? '').toLowerCase() === 'true';
  response.on('end', () =>
    done(
      {
        statusCode: response.statusCode ?? null,
        error: redirectError(response),
        responseExcerpt: Buffer.concat(chunks).toString('utf8'),
      },
      stop,
    ),
  );
  response.on('error', (error) =>
    done({
      statusCode: response.statusCode ?? null,
      error: error.message,
      responseExcerpt: null,
    }),
  );
}

/** What the attempt log says of a request that failed before an answer. */
function requestErrorMessage(error: Error, timeoutMs: number): string {
  return error.name === 'AbortError' || error.name === 'TimeoutError'
    ? `timed out after ${timeoutMs} ms`
    : error instanceof PrivateAddressRefused
      ? error.message
      : `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`;
}

/** A 3xx is not followed; the attempt log says so and where it pointed. */
function redirectError(response: http.IncomingMessage): string | null {
  const status = response.statusCode ?? 0;
  if (status < 300 || status > 399) return null;
  const location = response.headers.location;
  const shown =
    location === undefined
      ? 'no Location'
      : `Location: ${location.slice(0, LOCATION_CHARS_MAX)}${location.length > LOCATION_CHARS_MAX ? '…' : ''}`;
  return `redirect not followed (${status}, ${shown})`;
}
