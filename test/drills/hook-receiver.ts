/**
 * The webhook drill's receiver: one HTTP server whose path names the class of the endpoint,
 * `/<class>/<merchant>/<endpoint>`: `healthy` answers 204 at once, `slow` after `slowMs`,
 * `hanging` never (the sender times out). It counts each `webhook-id` per class and the lag from
 * the event's commit (the millisecond in its UUIDv7 `event_id`) to the first arrival.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type EndpointClass = 'healthy' | 'slow' | 'hanging';

export interface HookReceiver {
  readonly url: string;
  /** Distinct webhook ids that arrived at endpoints of the class. */
  distinct(kind: EndpointClass): number;
  /** Webhook ids of the class that arrived more than once. */
  duplicates(kind: EndpointClass): number;
  /** Lags of the first arrival of each id, sorted, in ms. */
  lags(kind: EndpointClass): number[];
  lastArrival(): number;
  close(): Promise<void>;
}

/** The Unix milliseconds a UUIDv7 was made at: its first 48 bits. */
const uuidV7Ms = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

export async function startHookReceiver(options: { slowMs: number }): Promise<HookReceiver> {
  const seen = { healthy: new Map(), slow: new Map(), hanging: new Map() } as Record<
    EndpointClass,
    Map<string, number>
  >;
  const lags: Record<EndpointClass, number[]> = { healthy: [], slow: [], hanging: [] };
  let last = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const arrived = Date.now();
      const kind = (request.url ?? '').split('/')[1] as EndpointClass;
      const id = String(request.headers['webhook-id']);
      const count = seen[kind]?.get(id) ?? 0;
      seen[kind]?.set(id, count + 1);
      if (count === 0 && seen[kind]) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          data?: { event_id?: string };
        };
        lags[kind].push(arrived - uuidV7Ms(body.data?.event_id ?? ''));
      }
      if (kind === 'hanging') return;
      last = Math.max(last, arrived);
      const answer = () => response.writeHead(204).end();
      if (kind === 'slow') setTimeout(answer, options.slowMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    distinct: (kind) => seen[kind].size,
    duplicates: (kind) => [...seen[kind].values()].filter((n) => n > 1).length,
    lags: (kind) => [...lags[kind]].sort((a, b) => a - b),
    lastArrival: () => last,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
