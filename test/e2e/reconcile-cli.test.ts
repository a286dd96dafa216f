// Proves `unwind reconcile` as shipped: the real command, run as a process on a real store of
// each engine, reads a report with a malformed row, prints the run as JSON or as a summary table,
// stores the run and its findings, and refuses a bad header or range with exit code 2.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { killAllServers, runCli } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const HEADER = 'order_reference,transaction_reference,type,amount,currency,settled_at';
const RANGE = ['--from', '2026-11-01T00:00:00Z', '--to', '2026-12-01T00:00:00Z'];

function defineSuite(factory: StoreFactory, skip?: string): void {
  describe(`unwind reconcile: ${factory.engine}`, () => {
    let t: TestStore;
    let dir: string;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-reconcile-cli-'));
      fs.writeFileSync(
        path.join(dir, 'nov.csv'),
        [
          HEADER,
          'ORD-1,T-1,payment,10.00,SAR,2026-11-02T10:00:00Z',
          'ORD-2,T-2,payment,10.001,SAR,2026-11-02T10:00:00Z',
          'ORD-3,T-1,refund,5.00,SAR,2026-11-02T10:00:00Z',
        ].join('\n'),
      );
      fs.writeFileSync(path.join(dir, 'bad.csv'), 'order,amount\nORD-1,10\n');
      if (!skip) t = await factory.create();
    });
    after(async () => {
      await t?.cleanup();
      await killAllServers();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('--json prints the run; the run and its findings are stored', { skip }, async () => {
      const res = await runCli(
        ['reconcile', '--report', path.join(dir, 'nov.csv'), ...RANGE, '--json'],
        t.env,
      );
      assert.equal(res.code, 0, res.stderr);
      const run = JSON.parse(res.stdout) as {
        id: string;
        status: string;
        summary: Record<string, number>;
      };
      assert.equal(run.status, 'completed');
      assert.equal(run.summary['rows'], 3);
      assert.equal(run.summary['malformed_rows'], 1);
      assert.equal(run.summary['missing_in_unwind'], 2);
      assert.equal(run.summary['duplicate'], 1);
      const findings = (await t.rawRows('reconciliation_findings')).filter(
        (r) => r['run_id'] === run.id,
      );
      assert.deepEqual(findings.map((f) => [f['kind'], Number(f['line'])]).sort(), [
        ['duplicate', 4],
        ['malformed_row', 3],
        ['missing_in_unwind', 2],
        ['missing_in_unwind', 4],
      ]);
    });

    it('without --json prints a summary table; --apply applies', { skip }, async () => {
      const res = await runCli(
        ['reconcile', '--report', path.join(dir, 'nov.csv'), ...RANGE, '--apply'],
        t.env,
      );
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /^run \S+: applied$/m);
      assert.match(res.stdout, /^ {2}malformed_rows +1$/m);
      assert.match(res.stdout, /^ {2}missing_in_unwind +2$/m);
    });

    it(
      'a bad header, a bad range or a missing file exits 2 and stores no run',
      { skip },
      async () => {
        const before = (await t.rawRows('reconciliation_runs')).length;
        const header = await runCli(
          ['reconcile', '--report', path.join(dir, 'bad.csv'), ...RANGE],
          t.env,
        );
        assert.equal(header.code, 2);
        assert.match(header.stderr, /validation\.failed \(line 1: /);
        const range = await runCli(
          [
            'reconcile',
            '--report',
            path.join(dir, 'nov.csv'),
            '--from',
            '2026-12-01T00:00:00Z',
            '--to',
            '2026-11-01T00:00:00Z',
          ],
          t.env,
        );
        assert.equal(range.code, 2);
        // 30 February is not a date, not 2 March.
        const unreal = await runCli(
          [
            'reconcile',
            '--report',
            path.join(dir, 'nov.csv'),
            '--from',
            '2026-02-30T00:00Z',
            '--to',
            '2026-12-01T00:00:00Z',
          ],
          t.env,
        );
        assert.equal(unreal.code, 2);
        assert.match(unreal.stderr, /--from and --to must be ISO 8601 date-times/);
        const missing = await runCli(
          ['reconcile', '--report', path.join(dir, 'none.csv'), ...RANGE],
          t.env,
        );
        assert.equal(missing.code, 2);
        assert.equal((await t.rawRows('reconciliation_runs')).length, before);
      },
    );
  });
}

defineSuite(sqliteFactory);
defineSuite(postgresFactory, await postgresSkipReason());
