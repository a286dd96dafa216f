/**
 * `npm run bench`: every benchmark, printed as tables and written as JSON to bench/results/.
 * Today: webhook delivery throughput and commit-to-delivery lag on each store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchWebhooks, printWebhookTable } from './webhooks.js';

const argv = process.argv.slice(2);
const value = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(`machine: ${machine}\n`);
const webhooks = await benchWebhooks({
  events: value('events', 2000),
  concurrency: value('concurrency', 16),
  json: null,
});
printWebhookTable(webhooks);

const dir = path.join('bench', 'results');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify({ machine, webhooks }, null, 2));
console.log(`\nwrote ${file}`);
