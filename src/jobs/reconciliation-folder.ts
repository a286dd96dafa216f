/**
 * Picks up settlement reports dropped into UNWIND_RECONCILE_DIR (issue 7). A report's name says
 * whose report it is, its ledger range and whether to apply it:
 * `<merchant_id>.<dialect>.<from>--<to>[.apply].csv` or `.ndjson`, with `dialect` a provider face
 * (points, backd, mpg) and `from` and `to` UTC dates (`YYYY-MM-DD`, `to` exclusive), e.g.
 * `0190c2a4-….points.2026-11-01--2026-11-08.apply.csv`. Only that merchant's orders on that face
 * are reconciled.
 *
 * The scope is in the name, not in a side file: a report is claimed by one atomic rename, and a
 * second file could arrive after it. A name without a scope (the older `<from>--<to>.csv`) or with
 * an unknown merchant is refused: moved to `failed/` beside a note saying so, never reconciled.
 *
 * Each step takes one report: it claims the file by renaming it into `processing/` (atomic, so
 * with several nodes on one shared folder only one takes it), reconciles it, then moves it to
 * `processed/` beside a `<name>.run.json` with the run's id, scope and summary, or to `failed/`
 * beside a `<name>.error.txt`. Other files and folders are left alone. Unset folder: the job does
 * nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../app/context.js';
import type { Job, JobLogger } from '../app/ports/job.js';
import { reconcile, runOutline } from '../app/reconciliation.js';
import type { ReportFormat } from '../app/settlement-report.js';
import {
  RECONCILED_DIALECTS,
  type ReconciledDialect,
  type ReconciliationScope,
} from '../domain/reconciliation.js';

const REPORT_NAME = new RegExp(
  `^([A-Za-z0-9_-]{1,64})\\.(${RECONCILED_DIALECTS.join('|')})\\.` +
    '(\\d{4}-\\d{2}-\\d{2})--(\\d{4}-\\d{2}-\\d{2})(\\.apply)?\\.(csv|ndjson)$',
);

/** Why a dropped file is refused: the expected name, for the note beside it. */
export const REPORT_NAME_EXPECTED =
  `Refused, not reconciled: the file name must be ` +
  `<merchant_id>.<dialect>.<from>--<to>[.apply].csv or .ndjson, naming the merchant and the ` +
  `face (${RECONCILED_DIALECTS.join(', ')}) whose settlement report it is, dates as YYYY-MM-DD, ` +
  `from before to.\n`;

/** Reads a report's name; null when it does not follow the convention or its dates are wrong. */
export function reportFileName(name: string): {
  scope: ReconciliationScope;
  fromAt: number;
  toAt: number;
  apply: boolean;
  format: ReportFormat;
} | null {
  const m = REPORT_NAME.exec(name);
  if (!m) return null;
  const [, merchantId, dialect, from, to, apply, format] = m as unknown as [
    string,
    string,
    ReconciledDialect,
    string,
    string,
    string | undefined,
    ReportFormat,
  ];
  const fromAt = Date.parse(`${from}T00:00:00Z`);
  const toAt = Date.parse(`${to}T00:00:00Z`);
  const real = (ms: number, date: string) =>
    Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date;
  if (!real(fromAt, from) || !real(toAt, to) || fromAt >= toAt) return null;
  return { scope: { merchantId, dialect }, fromAt, toAt, apply: apply !== undefined, format };
}

const SUBFOLDERS = ['processing', 'processed', 'failed'] as const;

/**
 * The file's bytes, opened only once the report is read and closed when reading stops. A report
 * refused before it is read (unknown merchant) never opens the file, which is moved at once: a
 * stream opened eagerly would open it after the move and fail with nobody listening.
 */
async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const stream = fs.createReadStream(file);
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}

export const reconciliationFolder = (deps: AppDeps, dir: string | null, log?: JobLogger): Job => ({
  name: 'reconciliation-folder',
  async step() {
    if (dir === null) return 0;
    const names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.') && /\.(csv|ndjson)$/.test(e.name))
      .map((e) => e.name)
      .sort();
    for (const sub of SUBFOLDERS) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    for (const name of names) {
      const claimed = path.join(dir, 'processing', name);
      try {
        fs.renameSync(path.join(dir, name), claimed);
      } catch {
        continue; // another node took it first
      }
      const done = (sub: 'processed' | 'failed', note: string, noteName: string) => {
        fs.writeFileSync(path.join(dir, sub, noteName), note);
        fs.renameSync(claimed, path.join(dir, sub, name));
      };
      const spec = reportFileName(name);
      if (!spec) {
        log?.warn({ file: name }, 'dropped report refused: its name has no scope or range');
        done('failed', REPORT_NAME_EXPECTED, `${name}.error.txt`);
        return 1;
      }
      const report = fileChunks(claimed);
      try {
        const result = await reconcile(deps, { ...spec, source: `folder:${name}`, report });
        await report.return(undefined); // closes the file if the header refused the rest
        if (!result.ok) {
          log?.warn({ file: name, code: result.error.code }, 'dropped report refused');
          done('failed', `Refused: ${JSON.stringify(result.error)}\n`, `${name}.error.txt`);
        } else {
          done(
            'processed',
            `${JSON.stringify(runOutline(result.value), null, 2)}\n`,
            `${name}.run.json`,
          );
        }
      } catch (error) {
        await report.return(undefined);
        log?.error({ err: error, file: name }, 'reconciliation of a dropped report failed');
        done(
          'failed',
          `${error instanceof Error ? error.message : String(error)}\n`,
          `${name}.error.txt`,
        );
      }
      return 1;
    }
    return 0;
  },
});
