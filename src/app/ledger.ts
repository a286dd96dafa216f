/**
 * The one way an order changes: lock its row, replay or refuse a repeated command, plan the
 * change with the pure domain rules, then write the ledger rows, the new totals, the dialects'
 * effects and exactly one outbox event, all in the caller's transaction
 * (docs/decisions/general.md#ledger-invariants). A change that moves no money (Backd's steps)
 * and an event that only announces (Points' `completed`) are written the same way: `commitChange`
 * is the only writer of an order's event.
 */
import { domainError, type DomainError } from '../domain/errors.js';
import { ANNOUNCEMENT_EVENT_TYPES, type EventType, orderSnapshot } from '../domain/events.js';
import {
  type Change,
  deriveStatus,
  type Order,
  planNoMoney,
  type TransactionOutcome,
  withOutcome,
} from '../domain/order.js';
import { assert, err, ok, type Result } from '../domain/result.js';
import { type Actor, actorLabel, type RunContext } from './context.js';
import { planDialectEffects } from './dialect-hooks.js';
import { eventFanOut } from './events.js';
import { lockOwnedOrder, type OrderOwner } from './order-owner.js';
import type { EventRecord, OutboxStore } from './ports/outbox.js';
import type { LedgerTransaction } from './ports/ledger.js';
import type { StoreTx } from './ports/store.js';
import { fingerprint } from './secrets.js';

export type { LedgerTransaction } from './ports/ledger.js';

/**
 * What changing an order writes to: the order and its ledger rows, one outbox event with the
 * deliveries it fans out to, and whatever the dialects' hooks write with it (src/app/
 * dialect-hooks.ts), which may use any port of the transaction.
 */
export type OrderChangeTx = StoreTx;

/** What every command that changes an order carries. */
export interface OrderCommandBase extends OrderOwner {
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
  /**
   * The command's earlier event, as `lockWithReplay` looked it up with the caller's lock (null:
   * none). Omitted: looked up here.
   */
  readonly earlier?: EventRecord | null;
  /**
   * The caller found no ledger row under `transactionId` after it took the order's lock, so the
   * change is written without waiting to learn whether the id went in (a racing request that
   * takes it meanwhile makes a UniqueViolation, retried by `execute` without this promise).
   */
  readonly transactionIdFree?: boolean;
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
  lookedUp?: EventRecord | null,
): Promise<Result<EventRecord | null, DomainError>> {
  if (idempotencyKey === undefined) return ok(null);
  const earlier =
    lookedUp === undefined ? await tx.findEventByKey(merchantId, idempotencyKey) : lookedUp;
  if (!earlier) return ok(null);
  if (earlier.requestFingerprint !== requestFingerprint) {
    return err(domainError('idempotency.key_reused'));
  }
  return ok(earlier);
}

/**
 * `lock()`, with the command's earlier event looked up right behind it: on PostgreSQL the two
 * leave in one socket write and come back in one round trip. The look-up is a statement of its
 * own, issued (so run) after the lock's, so it reads once the lock is held, exactly as one sent
 * after the lock's answer would; `lock` must send its statement before it first awaits anything.
 * Only for a merchant's keyed command (the key is the merchant's; the admin's merchant is known
 * once the order is read): otherwise `earlier` is undefined and `changeOrder` looks it up.
 */
export async function lockWithReplay<L>(
  tx: OutboxStore,
  command: Pick<OrderCommandBase, 'merchantId' | 'idempotencyKey' | 'earlier'>,
  lock: () => Promise<L>,
): Promise<{ readonly locked: L; readonly earlier: EventRecord | null | undefined }> {
  const locking = lock();
  const key = command.idempotencyKey;
  const lookingUp =
    command.merchantId === null || key === undefined || command.earlier !== undefined
      ? undefined
      : tx.findEventByKey(command.merchantId, key);
  // Awaited after the lock; a failed lock must not leave its rejection unhandled.
  lookingUp?.catch(() => undefined);
  const locked = await locking;
  const earlier = lookingUp === undefined ? command.earlier : ((await lookingUp) ?? null);
  return { locked, earlier };
}

/** What `commitChange` is given: the change planned on `before`, and how to name it. */
interface ChangeToCommit {
  readonly before: Order | null;
  readonly after: Order;
  readonly change: Change;
  readonly eventType: EventType;
  readonly command: OrderCommandBase;
  readonly requestFingerprint: string;
  readonly eventData?: Readonly<Record<string, unknown>>;
}

/**
 * Applies a planned change to `before` and writes it with its event. The dialects' effects (a
 * customer's wallet) are planned before the first write, so their refusal leaves nothing written.
 * An announcement (ANNOUNCEMENT_EVENT_TYPES) names the change just made: `after` is `before`, and
 * only its event is written. Errors: those of the dialects' hooks (points.balance_out_of_bounds).
 */
export async function commitChange(
  tx: OrderChangeTx,
  run: RunContext,
  input: ChangeToCommit,
): Promise<Result<OrderOutcome, DomainError>> {
  const { order, transactions, event } = draftChange(run, input);
  // A dialect's tables (customers' points wallets) follow the order in the same transaction.
  const effects = await planDialectEffects(tx, run, order, transactions);
  if (!effects.ok) return effects;
  // One write of the rows, the order, the event and its deliveries (one round trip on
  // PostgreSQL). A client-assigned id that is already taken (by another merchant, another order,
  // or a row of no command) is refused with nothing written.
  const written = await tx.writeChange({
    order,
    // An announcement names the change just written; the order stays as that change left it.
    orderWrite:
      input.before === null
        ? 'insert'
        : ANNOUNCEMENT_EVENT_TYPES.includes(event.type)
          ? 'none'
          : 'update',
    transactions,
    firstIdMayBeTaken:
      Boolean(input.command.transactionId) &&
      transactions.length > 0 &&
      !(input.command.transactionIdFree && !run.afterConflict),
    event,
    fanOut: eventFanOut(run, event),
  });
  if (!written) return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
  // The dialects' effects (a wallet's entries name the order's points rows) follow the rows.
  for (const effect of effects.value) await effect();
  return ok({ order, transactions, event, replayed: false });
}

/** The rows a change writes: the order after it, its ledger rows and its one event. */
function draftChange(run: RunContext, input: ChangeToCommit) {
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
  return { order, transactions, event };
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
  const { locked: owned, earlier } = await lockWithReplay(tx, command, () =>
    lockOwnedOrder(tx, command, input.orderId, command.locked),
  );
  if (!owned.ok) return owned;
  const order = owned.value;
  const requestFingerprint = fingerprint({
    operation: input.eventType,
    orderId: order.id,
    ...input.request,
  });
  const replay = await findReplay(
    tx,
    order.merchantId,
    command.idempotencyKey,
    requestFingerprint,
    earlier,
  );
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

/** A step of an order the caller has locked, for `changeWithoutMoney` and `announceChange`. */
export interface LockedOrderStep {
  readonly order: Order;
  readonly eventType: EventType;
  readonly actor: Actor;
  readonly reason?: string | null;
  readonly eventData: Readonly<Record<string, unknown>>;
}

/**
 * A change of an order that moves no money (Backd's lifecycle and refund-request steps), under
 * the caller's row lock: through `changeOrder` like every change, so its version and `updated_at`
 * move with one event (`unwind verify` counts one per version); its money and status do not.
 * Returns the order as now stored.
 */
export async function changeWithoutMoney(
  tx: OrderChangeTx,
  run: RunContext,
  step: LockedOrderStep,
): Promise<Order> {
  const changed = await changeOrder(tx, run, {
    orderId: step.order.id,
    command: lockedCommand(step),
    eventType: step.eventType,
    request: {},
    plan: (order) => ok(planNoMoney(order)),
    eventData: () => step.eventData,
  });
  assert(changed.ok, `${step.eventType} moves no money and cannot be refused`);
  return changed.value.order;
}

/**
 * An event that names the change just made (ANNOUNCEMENT_EVENT_TYPES: Points' `completed` after
 * the capture), under the caller's row lock: the same writer, without a change of its own.
 */
export async function announceChange(
  tx: OrderChangeTx,
  run: RunContext,
  step: LockedOrderStep,
): Promise<EventRecord> {
  assert(ANNOUNCEMENT_EVENT_TYPES.includes(step.eventType), `${step.eventType} is a change`);
  const announced = await commitChange(tx, run, {
    before: step.order,
    after: step.order,
    change: planNoMoney(step.order),
    eventType: step.eventType,
    command: lockedCommand(step),
    requestFingerprint: '',
    eventData: step.eventData,
  });
  assert(announced.ok, `${step.eventType} writes no money and cannot be refused`);
  return announced.value.event;
}

/** The caller checked the order's merchant when it locked the order. */
const lockedCommand = (step: LockedOrderStep): OrderCommandBase => ({
  merchantId: null,
  actor: step.actor,
  reason: step.reason ?? null,
  locked: step.order,
});
