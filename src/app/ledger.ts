/**
 * The one way an order changes: lock its row, replay or refuse a repeated command, plan the
 * change with the pure domain rules, then write the ledger rows, the new totals and exactly one
 * outbox event, all in the caller's transaction (docs/decisions/general.md#ledger-invariants).
 */
import { domainError, type DomainError } from '../domain/errors.js';
import { type EventType, orderSnapshot } from '../domain/events.js';
import {
  type Change,
  deriveStatus,
  type Order,
  type TransactionOutcome,
  withOutcome,
} from '../domain/order.js';
import { err, ok, type Result } from '../domain/result.js';
import { type Actor, actorLabel, type RunContext } from './context.js';
import { eventFanOut } from './events.js';
import { planCustomerPoints, recordCustomerPoints } from './points-customers.js';
import type { EventRecord, OutboxStore } from './ports/outbox.js';
import type { LedgerStore, LedgerTransaction } from './ports/ledger.js';
import type { PointsWalletStore } from './ports/points-wallets.js';
import type { WebhookStore } from './ports/webhooks.js';
import { fingerprint } from './secrets.js';

export type { LedgerTransaction } from './ports/ledger.js';

/**
 * What changing an order writes to: the order and its ledger rows, one outbox event with the
 * deliveries it fans out to, and customers' Points wallets, which follow the order's points rows.
 */
export type OrderChangeTx = LedgerStore & OutboxStore & WebhookStore & PointsWalletStore;

/** What every command that changes an order carries. */
export interface OrderCommandBase {
  /**
   * The merchant asking; another merchant's order does not exist for it. Null is the admin,
   * acting for whichever merchant owns the order (an order's merchant never changes).
   */
  readonly merchantId: string | null;
  readonly actor: Actor;
  readonly reason?: string | null;
  /** Makes the command safe to retry: the same key and request change nothing twice. */
  readonly idempotencyKey?: string;
  /** A client-assigned id for the command's main ledger row (MPG's `transaction_id`). */
  readonly transactionId?: string;
  /**
   * How the attempt ended, when the caller knows (MPG's simulated issuer). Omitted: approved.
   * A non-approved outcome appends only the main row with that status and changes no totals.
   */
  readonly outcome?: TransactionOutcome;
  /**
   * A refusal of the order's own lifecycle (Points' state machine, ...), checked on the locked
   * order before the core's planner; null lets the planner decide.
   */
  readonly guard?: (order: Order) => DomainError | null;
  /**
   * The order as the caller already locked it in this transaction (the routing of an operator's
   * operation, MPG's dialect check): the change uses it rather than lock and read it again.
   */
  readonly locked?: Order;
}

export interface OrderOutcome {
  readonly order: Order;
  /** Rows this command appended; empty on a replay. */
  readonly transactions: readonly LedgerTransaction[];
  /** The event this command wrote, or the original command's event on a replay. */
  readonly event: EventRecord;
  readonly replayed: boolean;
}

/**
 * Looks up an earlier command with the same key. Same request: the caller answers as a replay.
 * A different request under the same key: idempotency.key_reused.
 */
export async function findReplay(
  tx: OutboxStore,
  merchantId: string,
  idempotencyKey: string | undefined,
  requestFingerprint: string,
): Promise<Result<EventRecord | null, DomainError>> {
  if (idempotencyKey === undefined) return ok(null);
  const earlier = await tx.findEventByKey(merchantId, idempotencyKey);
  if (!earlier) return ok(null);
  if (earlier.requestFingerprint !== requestFingerprint) {
    return err(domainError('idempotency.key_reused'));
  }
  return ok(earlier);
}

/**
 * Applies a planned change to `before` and writes it with its event. The customer's wallet is
 * locked and checked before the first write, so its refusal leaves nothing written.
 * Errors: points.balance_out_of_bounds.
 */
export async function commitChange(
  tx: OrderChangeTx,
  run: RunContext,
  input: {
    readonly before: Order | null;
    readonly after: Order;
    readonly change: Change;
    readonly eventType: EventType;
    readonly command: OrderCommandBase;
    readonly requestFingerprint: string;
    readonly eventData?: Readonly<Record<string, unknown>>;
  },
): Promise<Result<OrderOutcome, DomainError>> {
  const { before, change, command } = input;
  const eventId = run.newId();
  // An attempt that did not happen (declined, timed out) on an existing order is its own kind of
  // event, so no receiver mistakes it for the change it attempted. A creation stays a creation.
  const mainApproved = (change.transactions[0]?.status ?? 'approved') === 'approved';
  const eventType: EventType =
    before !== null && !mainApproved ? 'order.operation_failed' : input.eventType;
  const actor = actorLabel(command.actor);
  const reason = command.reason ?? null;
  const order: Order = {
    ...input.after,
    ...change.totals,
    status: deriveStatus(change.totals, change.cancelled),
    capturedAt: change.capturedAt,
    captureMethod: change.captureMethod,
    cancelledAt: change.cancelled ? (input.after.cancelledAt ?? run.now) : null,
    updatedAt: run.now,
  };
  const transactions = change.transactions.map((draft, index): LedgerTransaction => ({
    id: index === 0 && command.transactionId ? command.transactionId : run.newId(),
    orderId: order.id,
    merchantId: order.merchantId,
    type: draft.type,
    status: draft.status ?? 'approved',
    amountMinor: draft.amountMinor,
    points: draft.points,
    currency: order.currency,
    reason,
    actor,
    eventId,
    details: draft.details ?? {},
    createdAt: run.now,
  }));
  // Customers' points wallets follow the order's points rows in the same transaction.
  const wallet = await planCustomerPoints(tx, run, order, transactions);
  if (!wallet.ok) return wallet;

  const event: EventRecord = {
    id: eventId,
    merchantId: order.merchantId,
    orderId: order.id,
    type: eventType,
    actor,
    reason,
    statusBefore: before?.status ?? null,
    statusAfter: order.status,
    idempotencyKey: command.idempotencyKey ?? null,
    requestFingerprint: command.idempotencyKey === undefined ? null : input.requestFingerprint,
    payload: {
      order: orderSnapshot(order),
      transactions: transactions.map((t) => ({
        id: t.id,
        type: t.type,
        status: t.status,
        amount_minor: t.amountMinor,
        points: t.points,
        details: t.details,
      })),
      reason,
      ...input.eventData,
    },
    createdAt: run.now,
  };
  // One write of the rows, the order, the event and its deliveries (one round trip on
  // PostgreSQL). A client-assigned id that is already taken (by another merchant, another order,
  // or a row of no command) is refused with nothing written.
  const written = await tx.writeChange({
    order,
    orderWrite: before === null ? 'insert' : 'update',
    transactions,
    event,
    fanOut: eventFanOut(run, event),
  });
  if (!written) return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
  // The wallet follows the order's points rows (its entries name them), in the same transaction.
  if (wallet.value) await recordCustomerPoints(tx, run, order, wallet.value);
  return ok({ order, transactions, event, replayed: false });
}

/**
 * Runs one planned operation on an existing order: lock, check ownership, replay, plan, commit.
 * Another merchant's order is reported exactly like a missing one
 * (docs/decisions/general.md#foreign-orders).
 */
export async function changeOrder(
  tx: OrderChangeTx,
  run: RunContext,
  input: {
    readonly orderId: string;
    readonly command: OrderCommandBase;
    readonly eventType: EventType;
    /** The request's meaningful parameters, for the idempotency fingerprint. */
    readonly request: Readonly<Record<string, unknown>>;
    readonly plan: (order: Order) => Result<Change, DomainError>;
    readonly eventData?: (order: Order) => Readonly<Record<string, unknown>>;
  },
): Promise<Result<OrderOutcome, DomainError>> {
  const { command } = input;
  const order =
    command.locked?.id === input.orderId ? command.locked : await tx.lockOrder(input.orderId);
  if (!order || (command.merchantId !== null && order.merchantId !== command.merchantId)) {
    return err(domainError('order.not_found'));
  }
  const requestFingerprint = fingerprint({
    operation: input.eventType,
    orderId: order.id,
    ...input.request,
  });
  const replay = await findReplay(tx, order.merchantId, command.idempotencyKey, requestFingerprint);
  if (!replay.ok) return replay;
  if (replay.value) return ok({ order, transactions: [], event: replay.value, replayed: true });

  const refused = command.guard?.(order);
  if (refused) return err(refused);
  const planned = input.plan(order);
  if (!planned.ok) return planned;
  return commitChange(tx, run, {
    before: order,
    after: { ...order, version: order.version + 1 },
    change: command.outcome
      ? withOutcome(order, planned.value, command.outcome, run.now)
      : planned.value,
    eventType: input.eventType,
    command,
    requestFingerprint,
    ...(input.eventData ? { eventData: input.eventData(order) } : {}),
  });
}
