/** Creating an order, optionally reserving or capturing its amount in the same transaction. */
import { domainError, type DomainError } from '../domain/errors.js';
import { isCurrencyCode } from '../domain/currencies.js';
import {
  type CreationCapture,
  type Dialect,
  type Order,
  type OrderKind,
  planCreation,
  withOutcome,
  ZERO_TOTALS,
} from '../domain/order.js';
import { err, ok, type Result } from '../domain/result.js';
import type { UseCase } from './context.js';
import {
  commitChange,
  findReplay,
  type OrderChangeTx,
  type OrderCommandBase,
  type OrderOutcome,
} from './ledger.js';
import { fingerprint } from './secrets.js';
import type { MerchantStore } from './ports/merchants.js';

export interface CreateOrderCommand extends OrderCommandBase {
  /** An order is always created for a known merchant. */
  readonly merchantId: string;
  readonly dialect: Dialect;
  readonly kind: OrderKind;
  /** Defaults to the merchant's currency. */
  readonly currency?: string;
  readonly amountMinor: number;
  readonly capture: CreationCapture;
  readonly totalPoints?: number;
  readonly redeemedPoints?: number;
  /** Value of the redeemed points, part of `amountMinor`. */
  readonly redeemedMinor?: number;
  /** A client-assigned order id (MPG's `order_id`); a new UUIDv7 otherwise. */
  readonly orderId?: string;
  readonly orderNumber?: string | null;
  readonly merchantOrderId?: string | null;
  readonly backdOrderId?: string | null;
  readonly customerRef?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Errors: merchant.not_found, validation.failed (unknown currency, negative amounts, redeemed
 * value above the amount), order.duplicate_reference (order number or id already used),
 * idempotency.key_reused.
 */
export const createOrder =
  (cmd: CreateOrderCommand): UseCase<OrderOutcome, OrderChangeTx & MerchantStore> =>
  async (tx, run) => {
    const merchant = await tx.findMerchant(cmd.merchantId);
    if (!merchant) return err(domainError('merchant.not_found'));
    const currency = cmd.currency ?? merchant.currency;
    const redeemedMinor = cmd.redeemedMinor ?? 0;
    const counts = [cmd.amountMinor, redeemedMinor, cmd.totalPoints ?? 0, cmd.redeemedPoints ?? 0];
    if (!isCurrencyCode(currency) || counts.some((n) => !Number.isSafeInteger(n) || n < 0)) {
      return err(domainError('validation.failed'));
    }
    if (redeemedMinor > cmd.amountMinor) return err(domainError('validation.failed'));

    // The outcome carries fresh references each attempt; it is not part of what was asked.
    const {
      actor: _actor,
      reason: _reason,
      idempotencyKey: _key,
      outcome: _outcome,
      ...request
    } = cmd;
    const requestFingerprint = fingerprint({ operation: 'order.created', ...request, currency });
    // The replay is looked up again when a reference turns out taken: a racing creation of the
    // same request may have committed between the first look-up and the reference's read (each
    // statement sees what is committed when it runs), and its answer is a replay, not a refusal.
    const replayOf = async (): Promise<Result<OrderOutcome, DomainError> | null> => {
      const replay = await findReplay(tx, cmd.merchantId, cmd.idempotencyKey, requestFingerprint);
      if (!replay.ok) return replay;
      const order = replay.value && (await tx.findOrder(replay.value.orderId ?? ''));
      return order && replay.value
        ? ok({ order, transactions: [], event: replay.value, replayed: true })
        : null;
    };
    const first = await replayOf();
    if (first) return first;
    const taken =
      cmd.orderNumber && (await tx.findOrderByNumber(merchant.id, cmd.dialect, cmd.orderNumber))
        ? 'order_number'
        : cmd.orderId && (await tx.findOrder(cmd.orderId))
          ? 'order_id'
          : null;
    if (taken) {
      return (await replayOf()) ?? err(domainError('order.duplicate_reference', { field: taken }));
    }

    const order = newOrder(cmd, {
      id: cmd.orderId ?? run.newId(),
      merchantId: merchant.id,
      currency,
      now: run.now,
    });
    const planned = planCreation(
      order,
      {
        capture: cmd.capture,
        totalPoints: cmd.totalPoints ?? 0,
        redeemedPoints: cmd.redeemedPoints ?? 0,
      },
      run.now,
    );
    const change = cmd.outcome ? withOutcome(order, planned, cmd.outcome, run.now) : planned;
    return commitChange(tx, run, {
      before: null,
      after: order,
      change,
      eventType: 'order.created',
      command: cmd,
      requestFingerprint,
    });
  };

/** The pending order `cmd` asks for, before any reservation or capture is planned. */
const newOrder = (
  cmd: CreateOrderCommand,
  {
    id,
    merchantId,
    currency,
    now,
  }: { id: string; merchantId: string; currency: string; now: number },
): Order => ({
  id,
  merchantId,
  dialect: cmd.dialect,
  kind: cmd.kind,
  currency,
  amountMinor: cmd.amountMinor,
  redeemedMinor: cmd.redeemedMinor ?? 0,
  ...ZERO_TOTALS,
  status: 'pending',
  orderNumber: cmd.orderNumber ?? null,
  merchantOrderId: cmd.merchantOrderId ?? null,
  backdOrderId: cmd.backdOrderId ?? null,
  customerRef: cmd.customerRef ?? null,
  details: cmd.details ?? {},
  capturedAt: null,
  captureMethod: null,
  cancelledAt: null,
  createdAt: now,
  updatedAt: now,
  version: 0,
});
