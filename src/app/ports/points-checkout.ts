/**
 * The Points hosted checkout's port: checkout sessions with their verification state, and the
 * per-phone counters of codes sent and wrong codes entered (src/app/points-checkout.ts,
 * src/app/points-checkout-codes.ts). The SQL is src/store/sql/points-checkout-sql.ts.
 */
import type { PhoneWindow } from '../../domain/points-checkout.js';
import type { CheckoutSession } from '../../domain/points-records.js';

/** Checkout sessions and per-phone limits. */
export interface PointsCheckoutStore {
  insertCheckoutSession(session: CheckoutSession): Promise<void>;
  findCheckoutSession(id: string): Promise<CheckoutSession | undefined>;
  lockCheckoutSession(id: string): Promise<CheckoutSession | undefined>;
  /** Marks an open session completed with its order; false when it was not open. */
  completeCheckoutSession(id: string, orderId: string, at: number): Promise<boolean>;
  /**
   * Writes an open session's verification state (code, counts, verified phone) and its status
   * (`open`, or `cancelled` with `cancelledAt`); false when the stored session was not open.
   */
  updateOpenCheckoutSession(session: CheckoutSession): Promise<boolean>;
  /**
   * Reads a phone's counters, creating them (window starting at `now`, zero counts) if missing,
   * and locks them until the transaction ends.
   */
  lockCheckoutPhoneLimit(phone: string, now: number): Promise<PhoneWindow>;
  updateCheckoutPhoneLimit(phone: string, window: PhoneWindow): Promise<void>;
  /** Deletes up to `limit` phones' counters whose window started before `startedBefore`. */
  deleteCheckoutPhoneLimits(startedBefore: number, limit: number): Promise<number>;
}
