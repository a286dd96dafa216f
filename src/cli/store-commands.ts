/** The one-shot commands that open the store, do one thing and close it. */
import { issueAdminToken } from '../app/admin-tokens.js';
import { systemClock } from '../app/clocks.js';
import { type AppDeps, execute } from '../app/context.js';
import { uuidV7Generator } from '../app/ids.js';
import { createMerchant } from '../app/merchants.js';
import { verifyLedger } from '../app/verify.js';
import { loadConfig } from '../config.js';
import { openStore } from '../main.js';
import { UsageError } from './failure.js';

export async function withStore<T>(work: (deps: AppDeps) => Promise<T>): Promise<T> {
  const store = openStore(loadConfig());
  try {
    await store.migrate();
    return await work({ store, clock: systemClock, newId: uuidV7Generator(systemClock) });
  } finally {
    await store.close();
  }
}

export async function migrate(): Promise<void> {
  const store = openStore(loadConfig());
  try {
    const applied = await store.migrate();
    console.log(
      applied.length ? `applied migrations: ${applied.join(', ')}` : 'schema is up to date',
    );
  } finally {
    await store.close();
  }
}

export async function merchantCreate(options: {
  name: string;
  currency: string;
  json?: boolean;
}): Promise<void> {
  const result = await withStore((deps) =>
    execute(deps, createMerchant({ name: options.name, currency: options.currency })),
  );
  if (!result.ok) {
    throw new UsageError(
      `cannot create merchant: ${result.error.code} (expected --name with at least one ` +
        `non-space character and --currency an ISO 4217 code such as SAR or USD; got ` +
        `--name ${JSON.stringify(options.name)} --currency ${JSON.stringify(options.currency)})`,
    );
  }
  const { merchant, credentials } = result.value;
  if (options.json) {
    console.log(
      JSON.stringify(
        { id: merchant.id, name: merchant.name, currency: merchant.currency, credentials },
        null,
        2,
      ),
    );
    return;
  }
  console.log(`merchant ${merchant.id} (${merchant.name}, ${merchant.currency})`);
  console.log('credentials (shown once):');
  console.log(`  points api_key     ${credentials.points?.api_key}`);
  console.log(`  points public_key  ${credentials.points?.public_key}`);
  console.log(`  backd public_key   ${credentials.backd?.public_key}`);
  console.log(`  backd secret_key   ${credentials.backd?.secret_key}`);
  console.log(`  mpg api_key        ${credentials.mpg?.api_key}`);
}

export async function verify(options: { json?: boolean }): Promise<void> {
  const interactive = process.stderr.isTTY && !options.json;
  const report = await withStore((deps) =>
    verifyLedger(deps, {
      ...(interactive
        ? { onProgress: (n: number) => process.stderr.write(`\rchecked ${n} orders`) }
        : {}),
    }),
  );
  if (interactive) process.stderr.write('\n');
  if (options.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`checked ${report.orders} orders and ${report.endpoints} live webhook endpoints`);
    for (const v of report.violations) console.log(`VIOLATION ${v.subject} ${v.id}: ${v.problem}`);
    if (report.truncated) console.log('… more violations not shown');
    console.log(
      report.violations.length === 0
        ? 'ledger is consistent'
        : `${report.violations.length} violations`,
    );
  }
  process.exitCode = report.violations.length === 0 ? 0 : 1;
}

export async function adminToken(): Promise<void> {
  const token = await withStore((deps) => issueAdminToken(deps));
  console.log(token);
}
