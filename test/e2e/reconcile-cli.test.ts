// Proves `unwind reconcile` as shipped: the real command, run as a process on a real store of
// each engine, reads one merchant's report of one face with a malformed row, prints the run as
// JSON or as a summary table, stores the run with its scope and its findings, and refuses a
// missing or wrong scope, a bad header or a bad range with exit code 2 and no run stored.
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
const FACE = ['--dialect', 'points'];

function defineSuite(factory: StoreFactory, skip?: string): void {
  describe(`unwind reconcile: ${factory.engine}`, () => {
    let t: TestStore;
    let dir: string;
    let scope: string[];
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
      if (skip) return;
      t = await factory.create();
      const made = await runCli(['merchant', 'create', '--name', 'CLI Shop', '--json'], t.env);
      assert.equal(made.code, 0, made.stderr);
      scope = ['--merchant', (JSON.parse(made.stdout) as { id: string }).id, ...FACE];
    });
    after(async () => {
      await t?.cleanup();
      await killAllServers();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('--json prints the run; the run and its findings are stored', { skip }, async () => {
      const res = await runCli(
        ['reconcile', '--report', path.join(dir, 'nov.csv'), ...scope, ...RANGE, '--json'],
        t.env,
      );
      assert.equal(res.code, 0, res.stderr);
      const run = JSON.parse(res.stdout) as {
        id: string;
        status: string;
        merchant_id: string;
        dialect: string;
        summary: Record<string, number>;
      };
      assert.equal(run.status, 'completed');
      assert.deepEqual([run.merchant_id, run.dialect], [scope[1], 'points']);
      assert.equal(run.summary['rows'], 3);
      assert.equal(run.summary['malformed_rows'], 1);
      assert.equal(run.summary['unknown_order'], 2);
      assert.equal(run.summary['duplicate'], 1);
      const stored = (await t.rawRows('reconciliation_runs')).find((r) => r['id'] === run.id);
      assert.deepEqual([stored?.['merchant_id'], stored?.['dialect']], [scope[1], 'points']);
      const findings = (await t.rawRows('reconciliation_findings')).filter(
        (r) => r['run_id'] === run.id,
      );
      assert.deepEqual(findings.map((f) => [f['kind'], Number(f['line'])]).sort(), [
        ['duplicate', 4],
        ['malformed_row', 3],
        ['unknown_order', 2],
        ['unknown_order', 4],
      ]);
    });

    it('without --json prints a summary table; --apply applies', { skip }, async () => {
      const res = await runCli(
        ['reconcile', '--report', path.join(dir, 'nov.csv'), ...scope, ...RANGE, '--apply'],
        t.env,
      );
      assert.equal(res.code, 0, res.stderr);
      assert.match(
        res.stdout,
        new RegExp(`^run \\S+: applied \\(merchant ${scope[1]}, points\\)$`, 'm'),
      );
      assert.match(res.stdout, /^ {2}malformed_rows +1$/m);
      assert.match(res.stdout, /^ {2}unknown_order +2$/m);
    });

    it(
      'no scope, a wrong scope, a bad header, a bad range or a missing file exits 2 and stores no run',
      { skip },
      async () => {
        const before = (await t.rawRows('reconciliation_runs')).length;
        const report = ['reconcile', '--report', path.join(dir, 'nov.csv')];
        const unscoped = await runCli([...report, ...RANGE], t.env);
        assert.equal(unscoped.code, 2, unscoped.stdout);
        assert.match(
          unscoped.stderr,
          /^missing --merchant <merchant id> and --dialect <points\|backd\|mpg>: /,
        );
        const noFace = await runCli([...report, '--merchant', scope[1]!, ...RANGE], t.env);
        assert.equal(noFace.code, 2, noFace.stdout);
        assert.match(noFace.stderr, /^missing --dialect <points\|backd\|mpg>: /);
        const noMerchant = await runCli([...report, ...FACE, ...RANGE], t.env);
        assert.equal(noMerchant.code, 2, noMerchant.stdout);
        assert.match(noMerchant.stderr, /^missing --merchant <merchant id>: /);
        const admin = await runCli(
          [...report, '--merchant', scope[1]!, '--dialect', 'admin', ...RANGE],
          t.env,
        );
        assert.equal(admin.code, 2, admin.stdout);
        assert.match(admin.stderr, /--dialect must be one of points\|backd\|mpg/);
        const stranger = await runCli(
          [...report, '--merchant', 'no-such-shop', ...FACE, ...RANGE],
          t.env,
        );
        assert.equal(stranger.code, 2, stranger.stdout);
        assert.match(
          stranger.stderr,
          /cannot reconcile: merchant\.not_found \(no merchant no-such-shop\)/,
        );
        const header = await runCli(
          ['reconcile', '--report', path.join(dir, 'bad.csv'), ...scope, ...RANGE],
          t.env,
        );
        assert.equal(header.code, 2);
        assert.match(header.stderr, /validation\.failed \(line 1: /);
        const range = await runCli(
          [
            'reconcile',
            '--report',
            path.join(dir, 'nov.csv'),
            ...scope,
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
            ...scope,
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
          ['reconcile', '--report', path.join(dir, 'none.csv'), ...scope, ...RANGE],
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
