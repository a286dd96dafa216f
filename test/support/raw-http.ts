/**
 * Real-socket clients for edge tests against a server process: a request over a fresh connection
 * from a chosen local address (on Linux every address of 127.0.0.0/8 reaches a server listening
 * on 127.0.0.1, so each test client can be a different client address), and a slow client that
 * sends a request a byte at a time until the server closes the connection or the bytes run out.
 */
import http from 'node:http';
import net from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  readonly body?: unknown;
}

/** One request on its own connection from `localAddress` to the server on 127.0.0.1:`port`. */
export function requestFrom(
  port: number,
  localAddress: string,
  request: RawRequest,
): Promise<RawResponse> {
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  const headers: Record<string, string> = { ...request.headers };
  if (body !== undefined && typeof request.body !== 'string') {
    headers['content-type'] ??= 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: request.method,
        path: request.path,
        headers,
        agent: false,
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${request.method} ${request.path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface DripOutcome {
  /** The server closed the connection before every byte was sent. */
  readonly cutOff: boolean;
  /** What the server sent before closing. */
  readonly received: string;
  readonly bytesSent: number;
}

/**
 * Connects from `localAddress`, writes `preamble` at once, then one byte of `drip` every
 * `everyMs` ms. `outcome` resolves when the server closes the connection (cut off), or once all of
 * `drip` was sent and the head of the server's answer has arrived, or not in 30 s (the client
 * closes then).
 * `stop` closes the connection from the client's side.
 */
export function slowClient(
  port: number,
  options: { localAddress?: string; preamble: string; drip: string; everyMs: number },
): { readonly outcome: Promise<DripOutcome>; readonly connected: Promise<void>; stop(): void } {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: options.localAddress });
  let received = '';
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('close', () => reject(new Error('closed before connecting')));
  });
  connected.catch(() => undefined);
  const outcome = new Promise<DripOutcome>((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ cutOff: sent < options.drip.length, received, bytesSent: sent });
    });
    socket.once('connect', () => {
      socket.write(options.preamble);
      timer = setInterval(() => {
        if (sent < options.drip.length) socket.write(options.drip[sent++]!);
        if (sent < options.drip.length) return;
        clearInterval(timer);
        // All sent: close once the answer's head is in (a half-close would abort the request),
        // or when none came in 30 s (the outcome then tells the test it was not cut off).
        const closeOnAnswer = () => {
          if (received.includes('\r\n\r\n')) socket.destroy();
        };
        socket.on('data', closeOnAnswer);
        setTimeout(() => socket.destroy(), 30_000).unref();
        closeOnAnswer();
      }, options.everyMs);
    });
  });
  return { outcome, connected, stop: () => socket.destroy() };
}

/**
 * A connection from `localAddress` that sends `GET /healthz` with keep-alive: `alive` is true
 * when the server answered (the connection then stays open for `socket`'s owner to close), false
 * when the server closed it without answering.
 */
export function probeConnection(
  port: number,
  localAddress: string,
): Promise<{ readonly alive: boolean; readonly socket: net.Socket }> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n\r\n'))
        resolve({ alive: received.startsWith('HTTP/1.1 200'), socket });
    });
    socket.once('close', () => resolve({ alive: false, socket }));
    socket.once('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: unwind\r\n\r\n'));
  });
}

/** Resolves when the server closes `socket`, or rejects after `boundMs` (it kept it). */
export function closedByServer(socket: net.Socket, boundMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return resolve();
    const timer = setTimeout(() => reject(new Error('the server kept the connection')), boundMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
