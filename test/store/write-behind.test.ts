// Proves writes sent behind (SqlSession.write and writeOne, docs/operations.md "Writes behind")
// on both stores: on PostgreSQL they have no round trip of their own and leave with the next
// statement or the COMMIT; a failure of one fails the whole transaction with its own error (a
// UniqueViolation the app retries, an AssertionFailure for a guarded update), whether a later
// statement or the COMMIT meets it, and nothing of the transaction is kept. SQLite runs them at
// once, with the same outcomes.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Claim } from '../../src/app/ports/claims.js';
import type { RefundRequest } from '../../src/domain/refund-request.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const claim = (key: string): Claim => ({
  scope: 'write-behind-test',
  key,
  fingerprint: 'f',
  state: 'completed',
  leaseToken: null,
  leaseExpiresAt: null,
  resultStatus: null,
  result: 'r',
  createdAt: 1,
  expiresAt: null,
});

const keysKept = async (t: TestStore, ...keys: string[]) =>
  (await t.rawRows('claims'))
    .map((row) => String(row['claim_key']))
    .filter((key) => keys.includes(key));

function suite(factory: StoreFactory, skip?: string) {
  describe(`writes behind: ${factory.engine}`, { skip }, () => {
    let t: TestStore;
    const postgres = factory.engine === 'postgres';
    before(async () => {
      t = await factory.create();
    });
    after(async () => {
      await t?.cleanup();
    });

    it('costs a statement and no round trip of its own', async () => {
      const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
      const before = t.store.counters();
      await t.store.transaction(async (tx) => {
        await tx.insertClaimBehind(claim(a));
        await tx.insertClaimBehind(claim(b));
      });
      const now = t.store.counters();
      assert.deepEqual((await keysKept(t, a, b)).sort(), [a, b].sort());
      // BEGIN, the two writes and COMMIT leave together on PostgreSQL.
      assert.equal(now.statements - before.statements, postgres ? 4 : 6);
      if (postgres) assert.equal(now.roundTrips! - before.roundTrips!, 1);
    });

    it('fails the COMMIT with the write’s own error, keeping nothing', async () => {
      const [kept, again, taken] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      await t.store.transaction((tx) => tx.insertClaimBehind(claim(taken)));
      await assert.rejects(
        t.store.transaction(async (tx) => {
          // An answered write, then one behind, then the failing one behind: COMMIT meets it.
          await tx.insertClaim(claim(kept));
          await tx.insertClaimBehind(claim(again));
          await tx.insertClaimBehind(claim(taken));
        }),
        (e: Error) => e.name === 'UniqueViolation',
      );
      assert.deepEqual(await keysKept(t, kept, again), []);
    });

    it('fails the next statement with the write’s own error, not the aborted transaction’s', async () => {
      const [taken, after] = [crypto.randomUUID(), crypto.randomUUID()];
      await t.store.transaction((tx) => tx.insertClaimBehind(claim(taken)));
      let seen: unknown;
      await assert.rejects(
        t.store.transaction(async (tx) => {
          await tx.insertClaimBehind(claim(taken));
          try {
            await tx.findClaim('write-behind-test', taken);
          } catch (error) {
            seen = error;
            throw error;
          }
          await tx.insertClaimBehind(claim(after));
        }),
        (e: Error) => e.name === 'UniqueViolation',
      );
      // SQLite refuses the insert itself, so the read is never made there.
      if (postgres) assert.equal((seen as Error | undefined)?.name, 'UniqueViolation');
      assert.deepEqual(await keysKept(t, after), []);
    });

    it('fails a guarded write that changes no row, keeping nothing', async () => {
      const before = crypto.randomUUID();
      const missing: RefundRequest = {
        id: crypto.randomUUID(),
        orderId: crypto.randomUUID(),
        merchantId: crypto.randomUUID(),
        amountMinor: 1,
        currency: 'USD',
        baseRefundedMinor: 0,
        status: 'declined',
        lockedAt: 1,
        settleAt: null,
        declineReason: null,
        replacedBy: null,
        createdAt: 1,
        approvedAt: null,
        refundedAt: null,
        declinedAt: 1,
        updatedAt: 1,
      };
      await assert.rejects(
        t.store.transaction(async (tx) => {
          await tx.insertClaimBehind(claim(before));
          await tx.updateBackdRefundRequest(missing, 'draft');
        }),
        (e: Error) =>
          e.name === 'AssertionFailure' && e.message.includes(`refund request ${missing.id}`),
      );
      assert.deepEqual(await keysKept(t, before), []);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
