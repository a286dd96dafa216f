/**
 * Picks up settlement reports dropped into UNWIND_RECONCILE_DIR (issue 7). A report's name says
 * its ledger range and whether to apply it: `<from>--<to>[.apply].csv` or `.ndjson`, with `from`
 * and `to` UTC dates (`YYYY-MM-DD`, `to` exclusive), e.g. `2026-11-01--2026-11-08.apply.csv`.
 * Each step takes one report: it claims the file by renaming it into `processing/` (atomic, so
 * with several nodes on one shared folder only one takes it), reconciles it, then moves it to
 * `processed/` beside a `<name>.run.json` with the run's id and summary, or to `failed/` beside a
 * `<name>.error.txt`. Other files and folders are left alone. Unset folder: the job does nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../app/context.js';
import type { Job, JobLogger } from '../app/ports/job.js';
import { reconcile } from '../app/reconciliation.js';
import type { ReportFormat } from '../app/settlement-report.js';

const REPORT_NAME = /^(\d{4}-\d{2}-\d{2})--(\d{4}-\d{2}-\d{2})(\.apply)?\.(csv|ndjson)$/;

/** Reads a report's name; null when it does not follow the convention or its dates are wrong. */
export function reportFileName(
  name: string,
): { fromAt: number; toAt: number; apply: boolean; format: ReportFormat } | null {
  const m = REPORT_NAME.exec(name);
  if (!m) return null;
  const fromAt = Date.parse(`${m[1]}T00:00:00Z`);
  const toAt = Date.parse(`${m[2]}T00:00:00Z`);
  const real = (ms: number, date: string) =>
    Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date;
  if (!real(fromAt, m[1]!) || !real(toAt, m[2]!) || fromAt >= toAt) return null;
  return { fromAt, toAt, apply: m[3] !== undefined, format: m[4] as ReportFormat };
}

const SUBFOLDERS = ['processing', 'processed', 'failed'] as const;

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
        done(
          'failed',
          'The file name must be <from>--<to>[.apply].csv or .ndjson, dates as YYYY-MM-DD, ' +
            'from before to.\n',
          `${name}.error.txt`,
        );
        return 1;
      }
      try {
        const result = await reconcile(deps, {
          ...spec,
          source: `folder:${name}`,
          report: fs.createReadStream(claimed),
        });
        if (!result.ok) {
          done('failed', `${JSON.stringify(result.error)}\n`, `${name}.error.txt`);
        } else {
          const run = result.value;
          done(
            'processed',
            `${JSON.stringify({ id: run.id, status: run.status, summary: run.summary }, null, 2)}\n`,
            `${name}.run.json`,
          );
        }
      } catch (error) {
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
