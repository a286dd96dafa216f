// Proves the admin API's Points customers' wallets over HTTP on SQLite and on PostgreSQL: a seed
// sets the balance through an adjustment in the wallet's ledger, phone forms name one customer,
// an unknown customer is 404 points.customer_not_found and a bad phone 422.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsFaceSuite } from '../points/points-face.js';

await pointsFaceSuite((face) => {
  const { newPhone, wallet, seed } = face;

  describe('admin: customers wallets', () => {
    it('seeds, reads with the ledger, refuses bad phones and unknown customers', async () => {
      const phone = newPhone();
      await seed(`+966${phone}`, 70);
      await seed(phone, 50);
      const w = await wallet(`0${phone}`);
      assert.equal(w.balance, 50);
      assert.deepEqual(
        w.ledger.map((e) => [e.type, e.points, e.balance_after]),
        [
          ['adjustment', -20, 50],
          ['adjustment', 70, 70],
        ],
      );
      const unknown = await face.t.admin({
        method: 'GET',
        url: `/admin/points/customers/${newPhone()}`,
      });
      assert.equal(unknown.statusCode, 404);
      assert.equal(
        (unknown.json() as { error: { code: string } }).error.code,
        'points.customer_not_found',
      );
      const bad = await face.t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: '123', balance: 1 },
      });
      assert.equal(bad.statusCode, 422);
    });
  });
});
