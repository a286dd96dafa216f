/**
 * The merchant's stable integer on the Points face: Points' webhook resource declares
 * `merchant_id` an integer, and Unwind's merchant ids are UUIDv7 strings (docs/dialects/points.md
 * "Webhooks API"). Migration 17 numbered the merchants that existed; a merchant made later is
 * numbered the first time the face needs it.
 */
import { assert } from '../domain/result.js';
import { type AppDeps, execute, query } from './context.js';

/** The merchant's Points integer, drawing it on first use. */
export async function pointsMerchantNumber(deps: AppDeps, merchantId: string): Promise<number> {
  const known = await query(deps, (tx) => tx.findPointsMerchantNumber(merchantId));
  if (known !== undefined) return known;
  const drawn = await execute(deps, async (tx) => ({
    ok: true as const,
    value: await tx.ensurePointsMerchantNumber(merchantId),
  }));
  assert(drawn.ok, 'drawing a merchant number cannot be refused');
  return drawn.value;
}
