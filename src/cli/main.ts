#!/usr/bin/env node
/**
 * The `unwind` command: serve (default), migrate, merchant create, admin-token.
 */
import { Command } from 'commander';
import { issueAdminToken } from '../app/admin-tokens.js';
import { systemClock } from '../app/clocks.js';
import { execute } from '../app/context.js';
import { uuidV7Generator } from '../app/ids.js';
import { createMerchant } from '../app/merchants.js';
import { verifyLedger } from '../app/verify.js';
import { reconcile, runOutline } from '../app/reconciliation.js';
import { RECONCILED_DIALECTS, type ReconciledDialect } from '../domain/reconciliation.js';
import { parseInstant, type ReportFormat } from '../app/settlement-report.js';
import fs from 'node:fs';
import { loadConfig } from '../config.js';
import { openStore, startUnwind } from '../main.js';

const program = new Command()
  .name('unwind')
  .description('Unwind: cancels, voids and refunds orders in money and loyalty points.');

async function withStore<T>(work: (deps: Parameters<typeof execute>[0]) => Promise<T>): Promise<T> {
  const store = openStore(loadConfig());
  try {
    await store.migrate();
    return await work({ store, clock: systemClock, newId: uuidV7Generator(systemClock) });
  } finally {
    await store.close();
  }
}

program
  .command('serve', { isDefault: true })
  .description('run the HTTP service (configuration from the environment; see README)')
  .action(async () => {
    const running = await startUnwind(loadConfig());
    running.server.log.info({ url: running.url }, 'unwind is listening');
    const shutdown = (signal: string) => {
      running.server.log.info({ signal }, 'shutting down');
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          running.server.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const store = openStore(loadConfig());
    try {
      const applied = await store.migrate();
      console.log(
        applied.length ? `applied migrations: ${applied.join(', ')}` : 'schema is up to date',
      );
    } finally {
      await store.close();
    }
  });

program
  .command('merchant')
  .description('manage merchants')
  .command('create')
  .description('create a merchant and print its credentials (shown only once)')
  .requiredOption('--name <name>', 'merchant name')
  .option('--currency <code>', 'ISO 4217 currency', 'SAR')
  .option('--json', 'print JSON')
  .action(async (options: { name: string; currency: string; json?: boolean }) => {
    const result = await withStore((deps) =>
      execute(deps, createMerchant({ name: options.name, currency: options.currency })),
    );
    if (!result.ok) {
      console.error(`cannot create merchant: ${result.error.code}`);
      process.exitCode = 2;
      return;
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
  });

program
  .command('verify')
  .description(
    'recompute every order from its ledger, check every invariant; exit 1 on a violation',
  )
  .option('--json', 'print the report as JSON')
  .action(async (options: { json?: boolean }) => {
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
      for (const v of report.violations)
        console.log(`VIOLATION ${v.subject} ${v.id}: ${v.problem}`);
      if (report.truncated) console.log('… more violations not shown');
      console.log(
        report.violations.length === 0
          ? 'ledger is consistent'
          : `${report.violations.length} violations`,
      );
    }
    process.exitCode = report.violations.length === 0 ? 0 : 1;
  });

program
  .command('reconcile')
  .description(
    "reconcile one merchant's settlement report from one face (CSV or JSON lines) against the " +
      'ledger; a dry run unless --apply',
  )
  .requiredOption('--report <file>', 'the report: .csv, or .ndjson / .jsonl for JSON lines')
  .option('--merchant <id>', 'the merchant whose report it is (required)')
  .option(
    '--dialect <face>',
    `the face it comes from: ${RECONCILED_DIALECTS.join(', ')} (required)`,
  )
  .requiredOption('--from <iso>', 'start of the ledger range (ISO 8601 with an offset)')
  .requiredOption('--to <iso>', 'end of the ledger range, exclusive')
  .option('--format <format>', 'csv or ndjson (default: from the file name)')
  .option('--apply', 'auto-refund the orders the policy reverses')
  .option('--json', 'print the run as JSON')
  .action(
    async (options: {
      report: string;
      merchant?: string;
      dialect?: string;
      from: string;
      to: string;
      format?: string;
      apply?: boolean;
      json?: boolean;
    }) => {
      const scope = reconcileScope(options);
      if (typeof scope === 'string') {
        console.error(scope);
        process.exitCode = 2;
        return;
      }
      const fromAt = parseInstant(options.from);
      const toAt = parseInstant(options.to);
      if (fromAt === null || toAt === null || fromAt >= toAt) {
        console.error('--from and --to must be ISO 8601 date-times with an offset, from before to');
        process.exitCode = 2;
        return;
      }
      const format =
        options.format ??
        (/\.csv$/i.test(options.report)
          ? 'csv'
          : /\.(ndjson|jsonl)$/i.test(options.report)
            ? 'ndjson'
            : undefined);
      if (format !== 'csv' && format !== 'ndjson') {
        console.error('--format must be csv or ndjson (or name the file .csv, .ndjson, .jsonl)');
        process.exitCode = 2;
        return;
      }
      if (!fs.existsSync(options.report)) {
        console.error(`${options.report}: no such file`);
        process.exitCode = 2;
        return;
      }
      const interactive = process.stderr.isTTY && !options.json;
      const totalBytes = fs.statSync(options.report).size;
      const stream = fs.createReadStream(options.report);
      const bar = (rows: number) => {
        const share = totalBytes ? stream.bytesRead / totalBytes : 1;
        const width = 30;
        const filled = Math.round(share * width);
        process.stderr.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${rows} rows`,
        );
      };
      const result = await withStore((deps) =>
        reconcile(deps, {
          scope,
          fromAt,
          toAt,
          source: 'cli',
          format: format as ReportFormat,
          report: stream,
          apply: options.apply === true,
          ...(interactive ? { onProgress: bar } : {}),
        }),
      );
      if (interactive) process.stderr.write('\n');
      if (!result.ok) {
        const details = result.error.details as { line?: number; message?: string } | undefined;
        const why =
          result.error.code === 'merchant.not_found'
            ? ` (no merchant ${scope.merchantId})`
            : details?.message
              ? ` (line ${details.line}: ${details.message})`
              : '';
        console.error(`cannot reconcile: ${result.error.code}${why}`);
        process.exitCode = 2;
        return;
      }
      const run = result.value;
      if (options.json) {
        console.log(JSON.stringify(runOutline(run), null, 2));
        return;
      }
      console.log(`run ${run.id}: ${run.status} (merchant ${scope.merchantId}, ${scope.dialect})`);
      const width = Math.max(...Object.keys(run.summary).map((k) => k.length));
      for (const [name, count] of Object.entries(run.summary)) {
        console.log(`  ${name.padEnd(width)}  ${String(count).padStart(9)}`);
      }
      console.log(
        `findings: GET /admin/reconciliations/${run.id}?format=csv` +
          (run.status === 'applied' ? '' : `; apply: POST /admin/reconciliations/${run.id}/apply`),
      );
    },
  );

/** The run's scope from --merchant and --dialect, or what is wrong with them. */
function reconcileScope(options: {
  merchant?: string;
  dialect?: string;
}): { merchantId: string; dialect: ReconciledDialect } | string {
  const faces = RECONCILED_DIALECTS.join('|');
  const missing = [
    ...(options.merchant ? [] : ['--merchant <merchant id>']),
    ...(options.dialect ? [] : [`--dialect <${faces}>`]),
  ];
  if (missing.length > 0) {
    return (
      `missing ${missing.join(' and ')}: a settlement report is one merchant's, from one face; ` +
      "name both, and only that merchant's orders on that face are reconciled"
    );
  }
  const dialect = RECONCILED_DIALECTS.find((d) => d === options.dialect);
  if (!dialect) return `--dialect must be one of ${faces}`;
  return { merchantId: options.merchant!, dialect };
}

program
  .command('admin-token')
  .description('issue a new admin token (revokes the previous generated one) and print it once')
  .action(async () => {
    const token = await withStore((deps) => issueAdminToken(deps));
    console.log(token);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
