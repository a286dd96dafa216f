/**
 * Slow clients cannot hold the server. Without these settings a client could keep a connection
 * forever: Fastify's default `requestTimeout` of 0 switches Node's request timeout off, Node looks
 * for expired headers only every 30 s (`connectionsCheckingInterval`), idle keep-alive sockets
 * stayed 72 s, and nothing capped connections. Connections that send a byte now and then piled up
 * until the process ran out of file descriptors; from then on every new connection, /healthz
 * included, was reset by the kernel.
 *
 * - Headers: Node's `headersTimeout`, checked every `LIMITS.connectionsCheckIntervalMs`, closes a
 *   connection whose request headers have not all arrived in time (also one that sends nothing).
 * - Body: once the headers are in, the rest of the request must arrive within the request timeout,
 *   or the route's upload timeout when it streams an upload (`config.upload`). A request still
 *   incomplete then is answered 408 (when nothing was sent yet) and its connection closed. Node's
 *   own `requestTimeout` is set above the longest of these, as a backstop.
 * - Idle: a keep-alive connection with no request in flight closes after the keep-alive timeout.
 * - Caps: at most `connectionsMax` connections in all (Node's `maxConnections`) and
 *   `connectionsPerAddressMax` per client address (IPv6: per /64). A connection over a cap is
 *   closed at once, so one address cannot take every descriptor, and other clients (a health
 *   probe) still get in. A trusted proxy's own connections are not capped per address: they carry
 *   many clients, and the proxy is trusted to cap its own.
 *
 * A socket's inactivity is not limited otherwise (Fastify's `connectionTimeout` stays 0): a
 * request that was received in full may take long to answer (a large reconciliation) without
 * writing anything meanwhile.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { LIMITS } from '../app/limits.js';
import { addressKey } from './client-address.js';

export interface ConnectionLimits {
  readonly headersTimeoutMs: number;
  /** Time a request's body may take once its headers have arrived. */
  readonly requestTimeoutMs: number;
  /** The same for routes declaring `config.upload` (streamed settlement reports). */
  readonly uploadTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly connectionsMax: number;
  readonly connectionsPerAddressMax: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: LIMITS.headersTimeoutMsDefault,
  requestTimeoutMs: LIMITS.requestTimeoutMsDefault,
  uploadTimeoutMs: LIMITS.uploadTimeoutMsDefault,
  keepAliveTimeoutMs: LIMITS.keepAliveTimeoutMsDefault,
  connectionsMax: LIMITS.connectionsMaxDefault,
  connectionsPerAddressMax: LIMITS.connectionsPerAddressMaxDefault,
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route streams a large upload: its body may take the upload timeout to arrive. */
    upload?: boolean;
  }
}

/** The Fastify (and Node http) server options that carry the timeouts. */
export function timeoutOptions(limits: ConnectionLimits) {
  const backstopMs =
    limits.headersTimeoutMs + Math.max(limits.requestTimeoutMs, limits.uploadTimeoutMs);
  return {
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: backstopMs,
      connectionsCheckingInterval: LIMITS.connectionsCheckIntervalMs,
    },
    // Fastify sets these two on the server after creating it (its defaults: 0 and 72 s).
    requestTimeout: backstopMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

const REQUEST_TIMEOUT_ANSWER =
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/** Closes the request's connection unless the request has arrived in full by then. */
function deadline(req: IncomingMessage, res: ServerResponse, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    if (req.complete) return;
    const socket = req.socket;
    if (!res.headersSent && socket.writable) socket.write(REQUEST_TIMEOUT_ANSWER);
    socket.destroy();
  }, ms);
  timer.unref();
  res.once('close', () => clearTimeout(timer));
  return timer;
}

/** Installs the body deadlines and the connection caps on the server of `app`. */
export function guardConnections(
  app: FastifyInstance,
  limits: ConnectionLimits,
  isTrustedProxy: (ip: string) => boolean,
): void {
  const server = app.server;
  server.maxConnections = limits.connectionsMax;

  const deadlines = new WeakMap<IncomingMessage, NodeJS.Timeout>();
  // Before Fastify's own listener, which runs the onRequest hooks below synchronously.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    deadlines.set(req, deadline(req, res, limits.requestTimeoutMs));
  });
  // An upload route's deadline replaces the general one (known once the route is matched).
  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.upload) return;
    clearTimeout(deadlines.get(request.raw));
    deadline(request.raw, reply.raw, limits.uploadTimeoutMs);
  });

  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return void socket.destroy();
    if (isTrustedProxy(address)) return;
    const key = addressKey(address);
    const count = open.get(key) ?? 0;
    if (count >= limits.connectionsPerAddressMax) return void socket.destroy();
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
