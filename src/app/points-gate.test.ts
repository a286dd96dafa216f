// Proves the in-process earning gate: while one request holds a merchant, a second one for the
// same merchant is refused at once and others are not; the gate is released even on failure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MerchantGate } from './points-gate.js';

describe('MerchantGate', () => {
  it('refuses a concurrent entry for the same merchant only', async () => {
    const gate = new MerchantGate();
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    const first = gate.run(
      'm1',
      () => 'busy',
      async () => {
        await holding;
        return 'done';
      },
    );
    assert.equal(
      await gate.run(
        'm1',
        () => 'busy',
        async () => 'done',
      ),
      'busy',
    );
    assert.equal(
      await gate.run(
        'm2',
        () => 'busy',
        async () => 'done',
      ),
      'done',
    );
    release();
    assert.equal(await first, 'done');
    assert.equal(
      await gate.run(
        'm1',
        () => 'busy',
        async () => 'again',
      ),
      'again',
    );
  });

  it('releases the merchant when the work throws', async () => {
    const gate = new MerchantGate();
    await assert.rejects(
      gate.run(
        'm1',
        () => 'busy',
        async () => Promise.reject(new Error('x')),
      ),
    );
    assert.equal(gate.tryEnter('m1'), true);
  });
});
