/**
 * Sends one webhook POST and reports what happened, never throwing: a status code, or an error
 * (timeout, refused, blocked address), the time it took, and the first 1 KiB of the answer.
 *
 * Redirects are not followed (node:http never does). Unless private delivery is allowed, the
 * destination is checked on the address actually connected to: a literal IP in the URL is
 * checked before the request, and a host name is checked inside the DNS lookup that the socket
 * uses, so a name cannot resolve to a public address for a check and a private one for the send.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isPrivateAddress } from '../domain/webhooks.js';

export interface SendResult {
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly responseExcerpt: string | null;
  readonly durationMs: number;
}

export interface SenderOptions {
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  readonly excerptBytes: number;
}

export type WebhookSender = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<SendResult>;

class BlockedAddress extends Error {}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback) {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as dns.LookupAddress[];
    const blocked = list.find((a) => isPrivateAddress(a.address));
    if (blocked) {
      return callback(
        new BlockedAddress(`${hostname} resolves to private address ${blocked.address}`),
        [],
      );
    }
    if (options.all) return callback(null, list);
    const first = list[0];
    return first
      ? callback(null, first.address, first.family)
      : callback(new Error(`no address for ${hostname}`), []);
  });
}

export function createSender(options: SenderOptions): WebhookSender & { close(): void } {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const lookup = options.allowPrivate
    ? undefined
    : (guardedLookup as unknown as net.LookupFunction);
  const agents = {
    'http:': new http.Agent({ ...agentOptions, ...(lookup ? { lookup } : {}) }),
    'https:': new https.Agent({ ...agentOptions, ...(lookup ? { lookup } : {}) }),
  };

  const send: WebhookSender = (url, headers, body) =>
    new Promise<SendResult>((resolve) => {
      const started = performance.now();
      const done = (partial: Omit<SendResult, 'durationMs'>) =>
        resolve({ ...partial, durationMs: Math.round(performance.now() - started) });
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return done({ statusCode: null, error: 'invalid URL', responseExcerpt: null });
      }
      const literal = target.hostname.replace(/^\[|\]$/g, '');
      if (!options.allowPrivate && net.isIP(literal) !== 0 && isPrivateAddress(literal)) {
        return done({
          statusCode: null,
          error: `private address ${literal} is not allowed`,
          responseExcerpt: null,
        });
      }
      const agent = agents[target.protocol as 'http:' | 'https:'];
      const request = (target.protocol === 'https:' ? https : http).request(target, {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < options.excerptBytes) {
            chunks.push(chunk.subarray(0, options.excerptBytes - kept));
            kept += Math.min(chunk.length, options.excerptBytes - kept);
          }
        });
        response.on('end', () =>
          done({
            statusCode: response.statusCode ?? null,
            error: null,
            responseExcerpt: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', (error) =>
          done({
            statusCode: response.statusCode ?? null,
            error: error.message,
            responseExcerpt: null,
          }),
        );
      });
      request.on('error', (error: Error) => {
        const message =
          error.name === 'AbortError' || error.name === 'TimeoutError'
            ? `timed out after ${options.timeoutMs} ms`
            : error instanceof BlockedAddress
              ? error.message
              : `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`;
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
