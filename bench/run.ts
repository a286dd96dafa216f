/**
 * `npm run bench`: every benchmark, printed as tables and written as JSON to bench/results/.
 * Refunds over HTTP against the driver-only and empty-route ceilings, then webhook delivery.
 * Options: --seconds N per scenario, --orders N, --events N, --concurrency N, --cpu-prof.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchRefunds, printRefundTables } from './refunds.js';
import { benchWebhooks, printWebhookTable } from './webhooks.js';

const argv = process.argv.slice(2);
const value = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(`machine: ${machine}\n`);
const profileIndex = argv.indexOf('--cpu-prof');
const refunds = await benchRefunds({
  seconds: value('seconds', 5),
  orders: value('orders', 2000),
  cpuProfileDir: profileIndex >= 0 ? path.resolve('bench', 'results', 'profiles') : null,
});
printRefundTables(refunds);
console.log();
const webhooks = await benchWebhooks({
  events: value('events', 2000),
  concurrency: value('concurrency', 16),
  json: null,
});
printWebhookTable(webhooks);

const dir = path.join('bench', 'results');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify({ machine, refunds, webhooks }, null, 2));
console.log(`\nwrote ${file}`);
