/** `unwind reconcile`: one merchant's settlement report from one face, against the ledger. */
import fs from 'node:fs';
import { reconcile as reconcileReport, runOutline } from '../app/reconciliation.js';
import { parseInstant, type ReportFormat } from '../app/settlement-report.js';
import { RECONCILED_DIALECTS, type ReconciledDialect } from '../domain/reconciliation.js';
import { UsageError } from './failure.js';
import { withStore } from './store-commands.js';

export interface ReconcileOptions {
  report: string;
  merchant?: string;
  dialect?: string;
  from: string;
  to: string;
  format?: string;
  apply?: boolean;
  json?: boolean;
}

/** The run's scope from --merchant and --dialect; refuses the command line without both. */
function reconcileScope(options: ReconcileOptions): {
  merchantId: string;
  dialect: ReconciledDialect;
} {
  const faces = RECONCILED_DIALECTS.join('|');
  const missing = [
    ...(options.merchant ? [] : ['--merchant <merchant id>']),
    ...(options.dialect ? [] : [`--dialect <${faces}>`]),
  ];
  if (missing.length > 0) {
    throw new UsageError(
      `missing ${missing.join(' and ')}: a settlement report is one merchant's, from one face; ` +
        "name both, and only that merchant's orders on that face are reconciled",
    );
  }
  const dialect = RECONCILED_DIALECTS.find((d) => d === options.dialect);
  if (!dialect) {
    throw new UsageError(`--dialect must be one of ${faces}, got "${options.dialect}"`);
  }
  return { merchantId: options.merchant!, dialect };
}

/** The report's format from --format or the file's name. */
function reportFormat(options: ReconcileOptions): ReportFormat {
  const format =
    options.format ??
    (/\.csv$/i.test(options.report)
      ? 'csv'
      : /\.(ndjson|jsonl)$/i.test(options.report)
        ? 'ndjson'
        : undefined);
  if (format !== 'csv' && format !== 'ndjson') {
    throw new UsageError(
      '--format must be csv or ndjson (or name the file .csv, .ndjson or .jsonl), got ' +
        (options.format ? `"${options.format}"` : `a file named ${options.report}`),
    );
  }
  return format;
}

/** A progress bar on stderr: the share of the file read, and the rows so far. */
function progressBar(stream: fs.ReadStream, totalBytes: number) {
  return (rows: number) => {
    const share = totalBytes ? stream.bytesRead / totalBytes : 1;
    const width = 30;
    const filled = Math.round(share * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${rows} rows`,
    );
  };
}

export async function reconcile(options: ReconcileOptions): Promise<void> {
  const scope = reconcileScope(options);
  const fromAt = parseInstant(options.from);
  const toAt = parseInstant(options.to);
  if (fromAt === null || toAt === null || fromAt >= toAt) {
    throw new UsageError(
      '--from and --to must be ISO 8601 date-times with an offset, from before to ' +
        `(such as 2026-11-01T00:00:00Z), got --from "${options.from}" --to "${options.to}"`,
    );
  }
  const format = reportFormat(options);
  if (!fs.existsSync(options.report)) {
    throw new UsageError(`--report ${options.report}: no such file (expected the report's path)`);
  }
  const interactive = process.stderr.isTTY && !options.json;
  const stream = fs.createReadStream(options.report);
  const onProgress = progressBar(stream, fs.statSync(options.report).size);
  const result = await withStore((deps) =>
    reconcileReport(deps, {
      scope,
      fromAt,
      toAt,
      source: 'cli',
      format,
      report: stream,
      apply: options.apply === true,
      ...(interactive ? { onProgress } : {}),
    }),
  );
  if (interactive) process.stderr.write('\n');
  if (!result.ok) {
    const details = result.error.details as { line?: number; message?: string } | undefined;
    const why =
      result.error.code === 'merchant.not_found'
        ? ` (no merchant ${scope.merchantId}): --merchant takes the id of an existing merchant`
        : details?.message
          ? ` (line ${details.line}: ${details.message})`
          : '';
    throw new UsageError(`cannot reconcile: ${result.error.code}${why}`);
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
}
