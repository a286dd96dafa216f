#!/usr/bin/env node
/**
 * The `unwind` command: serve (default), migrate, merchant create, admin-token, verify, reconcile,
 * demo. Each command loads its implementation only when it runs, so `--version`, `--help` and a
 * mistyped command answer without loading the server, the drivers or the use cases.
 */
import { Command, CommanderError } from 'commander';
import { nearestName } from '../domain/edit-distance.js';
import { RECONCILED_DIALECTS } from '../domain/reconciliation.js';
import { describeFailure, UsageError } from './failure.js';
import type { ReconcileOptions } from './reconcile.js';
import { packageVersion } from './version.js';

const program = new Command()
  .name('unwind')
  .description('Unwind: cancels, voids and refunds orders in money and loyalty points.')
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  // A refused command line shows, after the error, the usage and options the command expects.
  .showHelpAfterError(true)
  .exitOverride();

program
  .command('serve', { isDefault: true })
  .description('run the HTTP service (configuration from the environment; see README)')
  .action(async () => (await import('./serve.js')).serve());

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => (await import('./store-commands.js')).migrate());

program
  .command('merchant')
  .description('manage merchants')
  .command('create')
  .description('create a merchant and print its credentials (shown only once)')
  .requiredOption('--name <name>', 'merchant name')
  .option('--currency <code>', 'ISO 4217 currency', 'SAR')
  .option('--json', 'print JSON')
  .action(async (options: { name: string; currency: string; json?: boolean }) =>
    (await import('./store-commands.js')).merchantCreate(options),
  );

program
  .command('verify')
  .description(
    'recompute every order from its ledger, check every invariant; exit 1 on a violation',
  )
  .option('--json', 'print the report as JSON')
  .action(async (options: { json?: boolean }) =>
    (await import('./store-commands.js')).verify(options),
  );

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
  .action(async (options: ReconcileOptions) => (await import('./reconcile.js')).reconcile(options));

program
  .command('admin-token')
  .description('issue a new admin token (revokes the previous generated one) and print it once')
  .action(async () => (await import('./store-commands.js')).adminToken());

program
  .command('demo')
  .description(
    'seed one demo merchant per face with orders in every state, refund requests, a failing ' +
      'webhook endpoint and a reconciliation run; running it again creates nothing',
  )
  .action(async () => (await import('./demo.js')).demo());

/**
 * `serve` is the default command, so commander would read a mistyped command as an argument of
 * serve ("too many arguments"): name it as the unknown command it is, with the nearest one.
 */
function refuseUnknownCommand(): void {
  const first = process.argv[2];
  if (first === undefined || first.startsWith('-')) return;
  const names = [...program.commands.map((command) => command.name()), 'help'];
  if (names.includes(first)) return;
  const near = nearestName(first, names, 3);
  program.error(
    `error: unknown command '${first}'${near ? ` (Did you mean ${near}?)` : ''}; the commands are ${names.join(', ')}`,
    { code: 'commander.unknownCommand', exitCode: 1 },
  );
}

Promise.resolve()
  .then(() => {
    refuseUnknownCommand();
    return program.parseAsync();
  })
  .catch((error: unknown) => {
    if (error instanceof CommanderError) {
      // Commander has printed the error and the usage (or the help or version that was asked for).
      process.exit(error.exitCode);
    }
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(`unwind: ${describeFailure(error)}`);
    process.exit(1);
  });
