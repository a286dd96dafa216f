/**
 * The generic order use cases the three dialects and the admin API call: authorize, capture,
 * void, cancel and refund. Each runs in one transaction with the order row locked, is idempotent
 * by an optional key, and appends exactly one outbox event (src/app/ledger.ts).
 */
import {
  type Order,
  planAuthorize,
  planCancel,
  planCapture,
  planPurchase,
  planRefund,
  planVoid,
  type RefundSplit,
} from '../domain/order.js';
import { refundSplitJson } from '../domain/events.js';
import { ok } from '../domain/result.js';
import type { UseCase } from './context.js';
import {
  changeOrder,
  type OrderChangeTx,
  type OrderCommandBase,
  type OrderOutcome,
} from './ledger.js';

export interface OrderCommand extends OrderCommandBase {
  readonly orderId: string;
}

export interface AmountCommand extends OrderCommand {
  /** Omitted: the whole remaining amount. */
  readonly amountMinor?: number;
}

/**
 * Reserve the order's whole amount.
 * Errors: order.not_found, idempotency.key_reused, and those of `planAuthorize`.
 */
export const authorizeOrder =
  (cmd: OrderCommand): UseCase<OrderOutcome, OrderChangeTx> =>
  (tx, run) =>
    changeOrder(tx, run, {
      orderId: cmd.orderId,
      command: cmd,
      eventType: 'order.authorized',
      request: {},
      plan: (order) => planAuthorize(order, run.now),
    });

/**
 * Authorize and capture the whole amount in one step.
 * Errors: order.not_found, idempotency.key_reused, and those of `planPurchase`.
 */
export const purchaseOrder =
  (cmd: OrderCommand): UseCase<OrderOutcome, OrderChangeTx> =>
  (tx, run) =>
    changeOrder(tx, run, {
      orderId: cmd.orderId,
      command: cmd,
      eventType: 'order.captured',
      request: { purchase: true },
      plan: (order) => planPurchase(order, run.now),
    });

/**
 * Capture part or all of the reservation.
 * Errors: order.not_found, idempotency.key_reused, and those of `planCapture`.
 */
export const captureOrder =
  (cmd: AmountCommand): UseCase<OrderOutcome, OrderChangeTx> =>
  (tx, run) =>
    changeOrder(tx, run, {
      orderId: cmd.orderId,
      command: cmd,
      eventType: 'order.captured',
      request: { amountMinor: cmd.amountMinor ?? null },
      plan: (order) => planCapture(order, cmd.amountMinor, run.now),
    });

/**
 * Release part or all of the uncaptured reservation.
 * Errors: order.not_found, idempotency.key_reused, and those of `planVoid`.
 */
export const voidOrder =
  (cmd: AmountCommand): UseCase<OrderOutcome, OrderChangeTx> =>
  (tx, run) =>
    changeOrder(tx, run, {
      orderId: cmd.orderId,
      command: cmd,
      eventType: 'order.voided',
      request: { amountMinor: cmd.amountMinor ?? null },
      plan: (order) => planVoid(order, cmd.amountMinor, run.now),
    });

/**
 * Cancel an order on which nothing was captured.
 * Errors: order.not_found, idempotency.key_reused, and those of `planCancel`.
 */
export const cancelOrder =
  (cmd: OrderCommand): UseCase<OrderOutcome, OrderChangeTx> =>
  (tx, run) =>
    changeOrder(tx, run, {
      orderId: cmd.orderId,
      command: cmd,
      eventType: 'order.cancelled',
      request: {},
      plan: (order) => planCancel(order, run.now),
    });

export interface RefundOutcome extends OrderOutcome {
  /** How this refund was split into money and points; null on a replay. */
  readonly split: RefundSplit | null;
}

/**
 * Refund part or all of the captured money with the points tied to it, within the merchant's
 * refund window when `enforceRefundWindow` is set.
 * Errors: order.not_found, idempotency.key_reused, and those of `planRefund`.
 */
export const refundOrder =
  (
    cmd: AmountCommand & {
      /**
       * The asking merchant's refund window, as its credential's read found it this request
       * (a Points refund); omitted, no window applies (the admin is not bound by it).
       */
      readonly refundWindowDays?: number;
      /** Facts the caller adds to the event (Backd: the refund request this refund settles). */
      readonly eventData?: Readonly<Record<string, unknown>>;
      /** The event to write; reconciliation's automatic reversal names itself (default refunded). */
      readonly eventType?: 'order.refunded' | 'order.auto_refunded';
    },
  ): UseCase<RefundOutcome, OrderChangeTx> =>
  async (tx, run) => {
    let split: RefundSplit | null = null;
    // The window is the asking merchant's promise to its customers; the admin is not bound by it.
    const refundWindowDays = cmd.merchantId === null ? 0 : (cmd.refundWindowDays ?? 0);
    const outcome = await changeOrder(tx, run, {
      orderId: cmd.orderId,
      command: cmd,
      eventType: cmd.eventType ?? 'order.refunded',
      request: { amountMinor: cmd.amountMinor ?? null },
      plan: (order: Order) => {
        const planned = planRefund(order, cmd.amountMinor, { refundWindowDays }, run.now);
        if (!planned.ok) return planned;
        split = planned.value.split;
        return ok(planned.value.change);
      },
      eventData: () => ({ ...cmd.eventData, refund: split && refundSplitJson(split) }),
    });
    return outcome.ok ? ok({ ...outcome.value, split }) : outcome;
  };
