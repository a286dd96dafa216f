/**
 * A real webhook receiver for tests: an HTTP server on 127.0.0.1 and a kernel-chosen port that
 * records every request (method, path, headers, raw body, arrival time) before it answers. It
 * answers from a programmable sequence first (e.g. 500, 500, then the fixed answer), then with a
 * fixed answer (200 unless told otherwise). The answer `'hang'` records the request and never
 * answers, until `close()` cuts the connection.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP status code to answer with, or `'hang'` to keep the request open without answering. */
export type Answer = number | 'hang';

export interface ReceivedRequest {
  readonly method: string;
  /** The request target, e.g. `/hooks/a`. */
  readonly path: string;
  /** Lower-cased header names, as node:http gives them. */
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The raw body as UTF-8, exactly as received (for signature checks). */
  readonly body: string;
  /** Date.now() when the whole body had arrived. */
  readonly receivedAt: number;
  /** The answer the receiver gave (or is withholding). */
  readonly answer: Answer;
}

export interface ReceiverOptions {
  /** Answers for the first requests, in order, before the fixed answer applies. */
  readonly answers?: readonly Answer[];
  /** The answer once the sequence is used up (default 200). */
  readonly status?: Answer;
  /** Headers sent with every answer (e.g. a `location` for a 3xx). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Receiver {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Requests whose path is `path`. */
  requestsTo(path: string): ReceivedRequest[];
  /** Replaces the fixed answer (the queued sequence still goes first). */
  answerWith(answer: Answer): void;
  /** Appends answers to the sequence. */
  queue(...answers: Answer[]): void;
  /** Resolves once at least `count` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<readonly ReceivedRequest[]>;
  /** Stops listening and cuts every connection, including hanging requests. */
  close(): Promise<void>;
}

/** The one value of a header (the first when repeated), or undefined. */
export function headerOf(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const sequence: Answer[] = [...(options.answers ?? [])];
  let fixed: Answer = options.status ?? 200;
  const hanging = new Set<http.ServerResponse>();
  const waiters = new Set<() => void>();

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = sequence.length > 0 ? sequence.shift()! : fixed;
      const rawBody = Buffer.concat(chunks);
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        rawBody,
        body: rawBody.toString('utf8'),
        receivedAt: Date.now(),
        answer,
      });
      for (const waiter of [...waiters]) waiter();
      if (answer === 'hang') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      response.writeHead(answer, { 'content-type': 'text/plain', ...options.headers });
      response.end(`receiver answered ${answer}`);
    });
  });
  // Keep-alive sockets of the sender must not keep close() waiting.
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    answerWith(answer) {
      fixed = answer;
    },
    queue(...answers) {
      sequence.push(...answers);
    },
    waitForRequests(count, timeoutMs = 10_000) {
      if (requests.length >= count) return Promise.resolve(requests);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(requests);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `receiver got ${requests.length} of ${count} requests within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close() {
      for (const response of hanging) response.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
