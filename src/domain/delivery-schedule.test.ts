// Proves the dispatcher's pure rules: claims are shared round-robin across merchants and their
// endpoints within each endpoint's, merchant's and the process's free slots, a half-open endpoint
// gets one probe; the circuit opens after a run of failures with a doubling, capped pause, closes
// on a success; and an endpoint counts as failing too long exactly at the period, not a ms before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DueDelivery,
  failingTooLong,
  HEALTHY,
  healthAfterAttempt,
  planClaims,
  probingOnly,
} from './delivery-schedule.js';

const due = (merchantId: string, endpointId: string, n: number): DueDelivery[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${endpointId}-${i}`, endpointId, merchantId }));
const none = { byEndpoint: new Map<string, number>(), byMerchant: new Map<string, number>() };
const limits = { slotsFree: 100, endpointConcurrency: 4, merchantConcurrency: 64 };
const ids = (picked: readonly DueDelivery[]) => picked.map((d) => d.id);

describe('planClaims', () => {
  it('alternates merchants, and endpoints within a merchant, oldest delivery first', () => {
    const offered = [...due('m1', 'a', 3), ...due('m1', 'b', 2), ...due('m2', 'c', 2)];
    const picked = planClaims(offered, none, { ...limits, slotsFree: 5 }, new Set());
    assert.deepEqual(ids(picked), ['a-0', 'c-0', 'b-0', 'c-1', 'a-1']);
  });

  it('a merchant with a backlog of many endpoints does not crowd out one with a single delivery', () => {
    const offered = [
      ...Array.from({ length: 50 }, (_, i) => due('big', `big${i}`, 4)).flat(),
      ...due('small', 's', 1),
    ];
    const picked = planClaims(offered, none, { ...limits, slotsFree: 2 }, new Set());
    assert.deepEqual(ids(picked), ['big0-0', 's-0']);
  });

  it('takes no more than each endpoint, merchant and the process have room for', () => {
    const offered = [...due('m1', 'a', 10), ...due('m1', 'b', 10), ...due('m2', 'c', 10)];
    const inFlight = {
      byEndpoint: new Map([
        ['a', 3],
        ['c', 4],
      ]),
      byMerchant: new Map([
        ['m1', 3],
        ['m2', 4],
      ]),
    };
    const picked = planClaims(
      offered,
      inFlight,
      { slotsFree: 100, endpointConcurrency: 4, merchantConcurrency: 6 },
      new Set(),
    );
    // a: 1 more; b: up to 4 but m1 has 3 of 6 free; c: none.
    assert.deepEqual(ids(picked), ['a-0', 'b-0', 'b-1']);
    assert.equal(planClaims(offered, none, { ...limits, slotsFree: 0 }, new Set()).length, 0);
    assert.equal(planClaims(offered, none, { ...limits, slotsFree: 7 }, new Set()).length, 7);
  });

  it('sends a half-open endpoint one probe, and none while one is in flight', () => {
    const offered = [...due('m1', 'dead', 10), ...due('m1', 'ok', 2)];
    const probing = new Set(['dead']);
    assert.deepEqual(ids(planClaims(offered, none, limits, probing)), ['dead-0', 'ok-0', 'ok-1']);
    const busy = { byEndpoint: new Map([['dead', 1]]), byMerchant: new Map([['m1', 1]]) };
    assert.deepEqual(ids(planClaims(offered, busy, limits, probing)), ['ok-0', 'ok-1']);
  });
});

describe('endpoint health', () => {
  const policy = { failuresToOpen: 3, pauseMs: 1_000, pauseMaxMs: 5_000 };

  it('opens the circuit at the third failure in a row, doubling the pause up to the cap', () => {
    let health = HEALTHY;
    const pauses: (number | null)[] = [];
    for (let i = 0; i < 7; i++) {
      health = healthAfterAttempt(health, false, 100 + i, policy);
      pauses.push(health.pausedUntil === null ? null : health.pausedUntil - (100 + i));
    }
    assert.deepEqual(pauses, [null, null, 1_000, 2_000, 4_000, 5_000, 5_000]);
    assert.equal(health.failingSince, 100, 'the run began at the first failure');
    assert.equal(health.consecutiveFailures, 7);
    assert.equal(probingOnly(health, policy), true);
    assert.equal(probingOnly(healthAfterAttempt(HEALTHY, false, 1, policy), policy), false);
  });

  it('a success closes the circuit and forgets the run', () => {
    const failing = healthAfterAttempt(
      healthAfterAttempt(HEALTHY, false, 1, policy),
      false,
      2,
      policy,
    );
    assert.deepEqual(healthAfterAttempt(failing, true, 3, policy), HEALTHY);
  });

  it('is failing too long exactly at the period, not one ms before', () => {
    const day5 = 5 * 86_400_000;
    const health = healthAfterAttempt(HEALTHY, false, 1_000, policy);
    assert.equal(failingTooLong(health, 1_000 + day5 - 1, day5), false);
    assert.equal(failingTooLong(health, 1_000 + day5, day5), true);
    assert.equal(failingTooLong(HEALTHY, 10 * day5, day5), false);
  });
});
