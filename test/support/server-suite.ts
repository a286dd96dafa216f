/**
 * A server process on a fresh store for the tests of the enclosing `describe`: started before
 * them, killed after them, and its store dropped.
 */
import { after, before } from 'node:test';
import {
  killAllServers,
  type ServerProcess,
  type StartOptions,
  startServer,
} from './server-process.js';
import type { StoreFactory, TestStore } from './stores.js';

export function serverPerSuite(
  factory: StoreFactory,
  options: Omit<StartOptions, 'env'> & { readonly env?: Record<string, string> } = {},
): { readonly server: ServerProcess } {
  let store: TestStore | undefined;
  let server: ServerProcess | undefined;
  before(async () => {
    store = await factory.create();
    server = await startServer({ ...options, env: { ...store.env, ...options.env } });
  });
  after(async () => {
    await killAllServers();
    await store?.cleanup();
  });
  return {
    get server() {
      if (!server) throw new Error('the suite server has not started');
      return server;
    },
  };
}

/**
 * A merchant in SAR (its Points and MPG keys) and one in USD (its Backd keys, as Backd sells in
 * USD), created through the admin API; the bodies are the creation answers, credentials included.
 */
export async function merchantsOnEveryFace(
  server: ServerProcess,
  name: string,
  // Answers are whatever the admin API renders; tests narrow them with assertions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ sar: any; usd: any }> {
  const sar = await server.call('POST', '/admin/merchants', { name }, 201);
  const usd = await server.call(
    'POST',
    '/admin/merchants',
    { name: `${name} US`, currency: 'USD' },
    201,
  );
  return { sar, usd };
}
