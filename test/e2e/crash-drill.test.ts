// Runs the crash drill (test/drills/crash-drill.ts) in its bounded mode on both stores: a
// refund and order load, the server SIGKILLed and restarted a few times, then no acknowledged
// write missing, `verifyLedger` clean, every event delivered. `npm run drill:crash` is the long mode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCrashDrill } from '../drills/crash-drill.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const KILLS = Number(process.env['DRILL_KILLS'] ?? 3);

function drill(factory: StoreFactory, skip?: string) {
  describe(`crash drill: ${factory.engine}`, { skip }, () => {
    it(`survives ${KILLS} SIGKILLs under load without losing an acknowledged write or an event`, async () => {
      const report = await runCrashDrill({ factory, kills: KILLS });
      assert.ok(report.acknowledgedRefunds > 0, 'the load acknowledged refunds');
      assert.deepEqual(report.missingRefunds, []);
      assert.deepEqual(report.missingOrders, []);
      assert.deepEqual(report.violations, []);
      assert.equal(report.undeliveredEvents, 0);
    });
  });
}

drill(sqliteFactory);
drill(postgresFactory, await postgresSkipReason());
