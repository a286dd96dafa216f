// Proves over HTTP, on SQLite and on PostgreSQL, that the rating channels award what the merchant
// configured through the admin API (store_rating_points, product_rating_points), that a change
// of the setting applies to the next rating, that a channel set to null answers Points' 403 and
// writes nothing, and that the settings' bounds (0 to 1,000,000 whole points, or null) hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsFaceSuite } from './points-face.js';

await pointsFaceSuite((face) => {
  const { merchant, api, data, assertError, newPhone, wallet, seed } = face;

  const rate = (m: Awaited<ReturnType<typeof merchant>>, kind: string, body: object) =>
    api(m, 'POST', `/orders/earning/${kind}`, body);
  const patchSettings = (id: string, settings: Record<string, unknown>) =>
    face.t.admin({ method: 'PATCH', url: `/admin/merchants/${id}`, payload: { settings } });

  describe('rating channels follow the merchant settings', () => {
    it('awards the configured points, and a new setting from the next rating on', async () => {
      const m = await merchant({ store_rating_points: 120, product_rating_points: 7 });
      const phone = newPhone();
      await seed(phone, 0);
      const store = data(
        await rate(m, 'store-rating', { phone_number: phone, review_reference: 's1' }),
      );
      assert.equal(store.total_points, 120);
      const product = data(
        await rate(m, 'product-rating', {
          phone_number: phone,
          review_reference: 'p1',
          product_id: 'sku-1',
        }),
      );
      assert.equal(product.total_points, 7);
      const changed = await patchSettings(m.id, { store_rating_points: 0 });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(
        (changed.json() as { settings: { store_rating_points: number } }).settings
          .store_rating_points,
        0,
      );
      const zero = data(
        await rate(m, 'store-rating', { phone_number: phone, review_reference: 's2' }),
      );
      assert.equal(zero.total_points, 0);
      assert.equal((await wallet(phone)).balance, 127);
    });

    it('a channel set to null answers 403 and writes nothing', async () => {
      const m = await merchant({ store_rating_points: null, product_rating_points: null });
      const phone = newPhone();
      await seed(phone, 5);
      assertError(
        await rate(m, 'store-rating', { phone_number: phone, review_reference: 'x' }),
        403,
        'Merchant is not allowed to create store rating earning orders',
      );
      assertError(
        await rate(m, 'product-rating', {
          phone_number: phone,
          review_reference: 'x',
          product_id: 1,
        }),
        403,
        'Merchant is not allowed to create product rating earning orders',
      );
      assert.equal((await wallet(phone)).balance, 5);
      // Enabled later, the same review_reference is still free: nothing was recorded.
      await patchSettings(m.id, { store_rating_points: 10 });
      const store = data(
        await rate(m, 'store-rating', { phone_number: phone, review_reference: 'x' }),
      );
      assert.equal(store.total_points, 10);
    });

    it('the settings are bounded: 0 to 1,000,000 whole points, or null', async () => {
      const m = await merchant();
      for (const bad of [-1, 1_000_001, 2.5, '10']) {
        const res = await patchSettings(m.id, { store_rating_points: bad });
        assert.equal(res.statusCode, 422, `${String(bad)}: ${res.body}`);
      }
      const top = await patchSettings(m.id, { product_rating_points: 1_000_000 });
      assert.equal(top.statusCode, 200, top.body);
      const defaults = await face.t.admin({ method: 'GET', url: `/admin/merchants/${m.id}` });
      const settings = (defaults.json() as { settings: Record<string, unknown> }).settings;
      assert.equal(settings['store_rating_points'], 50);
      assert.equal(settings['product_rating_points'], 1_000_000);
    });
  });
});
