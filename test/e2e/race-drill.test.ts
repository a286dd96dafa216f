// Runs the race drill (test/drills/race-drill.ts) in its bounded mode: three server processes on
// one PostgreSQL schema take racing refunds, cancels, Backd replacements and duplicate MPG
// transaction_ids on the same orders, then `verifyLedger` is clean, no order is over-refunded,
// no acknowledged refund is missing, and no answer is an unexplained 5xx.
// `npm run drill:race` is the long mode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRaceDrill } from '../drills/race-drill.js';
import { postgresSkipReason } from '../support/stores.js';

const ROUNDS = Number(process.env['DRILL_ROUNDS'] ?? 3);

describe(
  'race drill: three processes on one PostgreSQL',
  { skip: await postgresSkipReason() },
  () => {
    it(`${ROUNDS} rounds of racing reversals leave the ledger consistent and never over-refund`, async () => {
      const report = await runRaceDrill({ rounds: ROUNDS });
      assert.ok(report.acknowledgedRefunds > 0, 'the races acknowledged refunds');
      assert.ok((report.answers['4xx'] ?? 0) > 0, 'the races were refused some requests');
      assert.equal(report.answers['network'] ?? 0, 0, JSON.stringify(report.answers));
      assert.deepEqual(report.overRefunds, []);
      assert.deepEqual(report.missingRefunds, []);
      assert.deepEqual(report.duplicatedTransactionIds, []);
      assert.deepEqual(report.violations, []);
      assert.ok(report.backdRequests >= 9 * ROUNDS, 'every Backd submission was recorded');
      // No answer is a 5xx and no server logged a failure. (A body-id claim released by one
      // process between another's insert and re-read used to answer 500; the claim now retries.)
      assert.equal(report.answers['5xx'] ?? 0, 0, report.serverErrors.join('\n'));
      assert.deepEqual(report.failureLogs, [], report.serverErrors.join('\n'));
    });
  },
);
