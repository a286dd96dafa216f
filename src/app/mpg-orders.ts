/**
 * The Moyasar Payment Gateway face's use cases, mapped onto the core (docs/dialects/mpg.md):
 * purchase, authorize and verify create a core order (`dialect: 'mpg'`, `kind: 'card'`) whose one
 * transaction carries the simulated issuer's answer; capture, void and refund are the core
 * operations; extend and reverse append rows that move no money. Every operation appends exactly
 * one transaction with MPG's references and one event, in one database transaction, and passes
 * the client's body id to the core as the idempotency key and the new row's id.
 */
import crypto from 'node:crypto';
import { cardExpired, detectScheme, issuerAnswerFor, maskCard, APPROVED } from '../domain/cards.js';
import { domainError, type DomainError } from '../domain/errors.js';
import {
  type MpgReverseReason,
  type MpgSourceType,
  planExtension,
  planReversal,
} from '../domain/mpg.js';
import type { Order, TransactionType } from '../domain/order.js';
import { err, ok, type Result } from '../domain/result.js';
import { type Actor, type AppDeps, query, type UseCase } from './context.js';
import { createOrder } from './create-order.js';
import { changeOrder, type OrderChangeTx, type OrderOutcome } from './ledger.js';
import type { BodyIdRequest } from './mpg-request-ids.js';
import { mpgOutcome, type MpgTransactionDetails } from './mpg-references.js';
import { captureOrder, refundOrder, voidOrder } from './order-operations.js';
import { lockOwnedOrder, ownedOrder } from './order-owner.js';
import type { LedgerStore, LedgerTransaction } from './ports/ledger.js';
import type { MerchantStore } from './ports/merchants.js';
import type { MpgOrderFilter, MpgStore } from './ports/mpg.js';
import { fingerprint } from './secrets.js';

export { MPG_SORT_FIELDS, type MpgOrderEquals, type MpgSortField } from './ports/mpg.js';

/** What the MPG face's use cases touch: an order change, and MPG's search columns. */
type MpgTx = OrderChangeTx & MpgStore;

/** Namespaces MPG body ids in the core's per-merchant idempotency keys. */
const coreKey = (kind: BodyIdRequest['kind'], id: string): string => `mpg:${kind}:${id}`;

export type MpgCreateOperation = 'purchase' | 'authorize' | 'verify';

export interface MpgCard {
  /** The full number: used to check and mask the card here, never stored or logged. */
  readonly number: string;
  readonly month: number;
  readonly year: number;
  readonly securityCode: string;
  readonly holder?: string;
  /** The 3-D Secure result, as sent. */
  readonly auth?: Readonly<Record<string, unknown>>;
}

export interface MpgCreateCommand {
  readonly merchantId: string;
  readonly actor: Actor;
  readonly operation: MpgCreateOperation;
  readonly orderId?: string;
  readonly transactionId?: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly description: string;
  readonly sourceType: MpgSourceType;
  readonly card: MpgCard;
  readonly device: { readonly userAgent: string; readonly ipAddress: string };
  readonly airline?: { readonly reference: string } | undefined;
  readonly subMerchant?: Readonly<Record<string, unknown>> | undefined;
  readonly newAgreement?: Readonly<Record<string, unknown>> | undefined;
  readonly additionalData?: Readonly<Record<string, unknown>> | undefined;
}

/** What an MPG operation answers: the order as it is now, with its ledger. */
export interface MpgOrderView {
  readonly order: Order;
  readonly transactions: readonly LedgerTransaction[];
  /** The transaction this request is about (reverse answers with it); null when unknown. */
  readonly transaction: LedgerTransaction | null;
  readonly replayed: boolean;
}

/** A UUID-shaped id derived from `seed`, stable across replays. */
function derivedUuid(seed: string): string {
  const h = crypto.createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The UTC calendar month of an instant, for card expiry. */
function utcMonth(ms: number): { month: number; year: number } {
  const d = new Date(ms);
  return { month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
}

/** The order's MPG facts as kept in `details.mpg` (no card number: only its masked form). */
function orderDetails(cmd: MpgCreateCommand, agreementId: string | null) {
  const scheme = detectScheme(cmd.card.number);
  if (scheme === null) return null;
  const masked = maskCard(cmd.card.number, scheme);
  return {
    description: cmd.description,
    transaction_type: cmd.sourceType,
    source: {
      type: 'card',
      scheme,
      first_digits: masked.firstDigits,
      last_digits: masked.lastDigits,
      month: cmd.card.month,
      year: cmd.card.year,
    },
    airline: cmd.airline ? { reference: cmd.airline.reference } : null,
    sub_merchant: cmd.subMerchant ?? null,
    agreement: cmd.newAgreement ? { id: agreementId, ...cmd.newAgreement } : null,
    device: { user_agent: cmd.device.userAgent, ip_address: cmd.device.ipAddress },
    reauthorized_order_id: null,
    ...(cmd.additionalData ? { additional_data: cmd.additionalData } : {}),
  };
}

/**
 * The fingerprint of a create request: everything it asks for, with the card reduced to what is
 * kept of it. The full number and the security code never enter a fingerprint: an unsalted hash
 * of a card number can be reversed by trying every number of its BIN.
 */
export function mpgCreateFingerprint(cmd: MpgCreateCommand): string {
  const { card, actor: _actor, ...rest } = cmd;
  const scheme = detectScheme(card.number);
  const masked = scheme ? maskCard(card.number, scheme) : null;
  return fingerprint({
    ...rest,
    card: { masked, month: card.month, year: card.year, holder: card.holder, auth: card.auth },
  });
}

async function indexTransactions(tx: MpgStore, rows: readonly LedgerTransaction[]): Promise<void> {
  for (const row of rows) {
    const d = row.details as Partial<MpgTransactionDetails>;
    if (typeof d.retrieval_reference !== 'string' || typeof d.stan !== 'string') continue;
    await tx.insertMpgTransaction({
      transactionId: row.id,
      orderId: row.orderId,
      retrievalReference: d.retrieval_reference,
      stan: d.stan,
      authCode: d.auth_code ?? null,
      responseCode: d.response_code ?? null,
    });
  }
}

async function view(
  tx: LedgerStore,
  outcome: OrderOutcome,
  transactionId: string | null,
): Promise<MpgOrderView> {
  const transactions = await tx.listTransactions(outcome.order.id);
  const transaction =
    (transactionId && transactions.find((t) => t.id === transactionId)) ||
    outcome.transactions[0] ||
    null;
  return { order: outcome.order, transactions, transaction, replayed: outcome.replayed };
}

/**
 * A client-assigned transaction id is the new ledger row's id, so it may name no row of another
 * merchant or another order: the core's per-merchant replay could not see that row, and the
 * row's primary key would refuse the insert. A row of the same order under the same id is the
 * core's business: a replay, or a key reused for another request.
 */
async function transactionIdTaken(
  tx: LedgerStore,
  merchantId: string,
  orderId: string | undefined,
  transactionId: string | undefined,
): Promise<boolean> {
  if (transactionId === undefined) return false;
  const row = await tx.findLedgerTransaction(transactionId);
  if (row === undefined) return false;
  if (row.merchantId !== merchantId) return true;
  return orderId !== undefined && row.orderId !== orderId;
}

/** The core's key reuse says which body id was reused. */
function naming<T>(result: Result<T, DomainError>, field: string): Result<T, DomainError> {
  if (result.ok || result.error.code !== 'idempotency.key_reused') return result;
  return err(domainError('idempotency.key_reused', { field }));
}

const TYPE_OF: Record<MpgCreateOperation, TransactionType> = {
  purchase: 'purchase',
  authorize: 'authorize',
  verify: 'verify',
};

/**
 * Purchase, authorize or verify: a new order with one transaction carrying the issuer's answer
 * (a declined test card appends a `failed` row and moves no money).
 * Errors: validation.failed (details.field: `currency` not the merchant's, `source.number` of an
 * unsupported scheme, `source.year` expired), order.duplicate_reference (details.field
 * `order_id` or `transaction_id`: used by another merchant), idempotency.key_reused,
 * merchant.not_found.
 */
/**
 * The merchant's refusal of a request in `currency` for a card expiring `card` at `now`, or null:
 * merchant.not_found, validation.failed on `currency` (not the merchant's) or `yearField`.
 */
export async function mpgRequestProblem(
  tx: MerchantStore,
  merchantId: string,
  currency: string,
  card: { readonly month: number; readonly year: number },
  now: number,
  yearField: string,
): Promise<DomainError | null> {
  const merchant = await tx.findMerchant(merchantId);
  if (!merchant) return domainError('merchant.not_found');
  if (currency !== merchant.currency) {
    return domainError('validation.failed', {
      field: 'currency',
      rule: 'one_of',
      allowed: [merchant.currency],
    });
  }
  if (cardExpired(card, utcMonth(now))) {
    return domainError('validation.failed', { field: yearField, rule: 'card_expired' });
  }
  return null;
}

export const mpgCreateOrder =
  (cmd: MpgCreateCommand): UseCase<MpgOrderView, MpgTx & MerchantStore> =>
  async (tx, run) => {
    const problem = await mpgRequestProblem(
      tx,
      cmd.merchantId,
      cmd.currency,
      cmd.card,
      run.now,
      'source.year',
    );
    if (problem) return err(problem);
    // A replay must describe the same order, so an agreement's id follows from the order's.
    const agreementId = cmd.newAgreement
      ? cmd.orderId
        ? derivedUuid(`agreement:${cmd.merchantId}:${cmd.orderId}`)
        : run.newId()
      : null;
    const details = orderDetails(cmd, agreementId);
    if (details === null) {
      return err(domainError('validation.failed', { field: 'source.number', rule: 'scheme' }));
    }
    if (await transactionIdTaken(tx, cmd.merchantId, cmd.orderId, cmd.transactionId)) {
      return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
    }
    const type = TYPE_OF[cmd.operation];
    // The body id that makes the request safe to retry: order_id, else transaction_id.
    const bodyKey = cmd.orderId
      ? coreKey('order_id', cmd.orderId)
      : cmd.transactionId
        ? coreKey('transaction_id', cmd.transactionId)
        : undefined;
    const created = await createOrder({
      merchantId: cmd.merchantId,
      actor: cmd.actor,
      dialect: 'mpg',
      kind: 'card',
      currency: cmd.currency,
      amountMinor: cmd.amountMinor,
      capture: cmd.operation,
      details: { mpg: details },
      ...(cmd.orderId ? { orderId: cmd.orderId } : {}),
      ...(cmd.transactionId ? { transactionId: cmd.transactionId } : {}),
      ...(bodyKey ? { idempotencyKey: bodyKey } : {}),
      outcome: mpgOutcome(type, issuerAnswerFor(cmd.card.number), cmd.sourceType),
    })(tx, run);
    if (!created.ok) return naming(created, cmd.orderId ? 'order_id' : 'transaction_id');
    if (!created.value.replayed) {
      const o = created.value.order;
      await tx.insertMpgOrder({
        orderId: o.id,
        merchantId: o.merchantId,
        description: details.description,
        sourceType: details.transaction_type,
        scheme: details.source.scheme,
        firstDigits: details.source.first_digits,
        lastDigits: details.source.last_digits,
        subMerchantId: typeof cmd.subMerchant?.['id'] === 'string' ? cmd.subMerchant['id'] : null,
        deviceIp: details.device.ip_address,
        agreementId: details.agreement?.id ?? null,
      });
      await indexTransactions(tx, created.value.transactions);
    }
    return ok(await view(tx, created.value, null));
  };

export type MpgAmountOperation = 'capture' | 'void' | 'refund';

export interface MpgOperationCommand {
  /** The merchant asking; null is an operator, acting on any merchant's MPG order. */
  readonly merchantId: string | null;
  readonly actor: Actor;
  readonly orderId: string;
  readonly transactionId?: string;
  /** An operator's reason, recorded on the row and the event; MPG's API sends none. */
  readonly reason?: string | null;
  /** The order as the caller already locked it in this transaction (an operator's route). */
  readonly locked?: Order;
}

/** The order's transaction type as MPG sees it (`source_type` of every row of the order). */
const sourceTypeOf = (order: Order): MpgSourceType => {
  const mpg = order.details['mpg'] as { transaction_type?: MpgSourceType } | undefined;
  return mpg?.transaction_type ?? 'internet';
};

/** Loads an MPG order for an operation; other faces' orders do not exist here. */
const lockMpgOrder = (
  tx: LedgerStore,
  merchantId: string | null,
  orderId: string,
  locked?: Order,
): Promise<Result<Order, DomainError>> =>
  lockOwnedOrder(tx, { merchantId, dialect: 'mpg' }, orderId, locked);

/**
 * Capture, void or refund `amountMinor`: MPG's API requires the amount; an operator may leave it
 * out for all that remains. Either way the row carries MPG's references and is indexed, so MPG's
 * order object and search show it like any other. The issuer approves follow-up operations on an
 * approved order; the business rules are the core's.
 * Errors: order.not_found, order.duplicate_reference (transaction_id of another merchant),
 * idempotency.key_reused, and those of planCapture, planVoid, planRefund.
 */
export const mpgAmountOperation =
  (
    operation: MpgAmountOperation,
    cmd: MpgOperationCommand & { readonly amountMinor?: number },
  ): UseCase<MpgOrderView, MpgTx & MerchantStore> =>
  async (tx, run) => {
    const locked = await lockMpgOrder(tx, cmd.merchantId, cmd.orderId, cmd.locked);
    if (!locked.ok) return locked;
    // A transaction_id already taken is found by the core: its key (this order's earlier
    // request) or the row's primary key (anything else), so the common case reads nothing more.
    const core = {
      merchantId: cmd.merchantId,
      orderId: cmd.orderId,
      locked: locked.value,
      actor: cmd.actor,
      reason: cmd.reason ?? null,
      ...(cmd.amountMinor !== undefined ? { amountMinor: cmd.amountMinor } : {}),
      outcome: mpgOutcome(operation, APPROVED, sourceTypeOf(locked.value)),
      ...(cmd.transactionId
        ? {
            transactionId: cmd.transactionId,
            idempotencyKey: coreKey('transaction_id', cmd.transactionId),
          }
        : {}),
    };
    const outcome =
      operation === 'capture'
        ? await captureOrder(core)(tx, run)
        : operation === 'void'
          ? await voidOrder(core)(tx, run)
          : await refundOrder(core)(tx, run);
    if (!outcome.ok) {
      // The key was used on another of the merchant's orders: its row is taken there.
      const elsewhere =
        outcome.error.code === 'idempotency.key_reused' &&
        (await transactionIdTaken(tx, locked.value.merchantId, cmd.orderId, cmd.transactionId));
      if (elsewhere) {
        return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
      }
      return naming(outcome, 'transaction_id');
    }
    if (!outcome.value.replayed) await indexTransactions(tx, outcome.value.transactions);
    return ok(await view(tx, outcome.value, cmd.transactionId ?? null));
  };

/**
 * Extend the hold of the order's authorization, for `amountMinor` of the held money when it is
 * not 0 (planExtension: the order's amount is immutable, so the authorization cannot grow).
 * Errors: order.not_found, order.not_extendable, capture.exceeds_capturable,
 * order.duplicate_reference, idempotency.key_reused.
 */
export const mpgExtendOrder =
  (cmd: MpgOperationCommand & { readonly amountMinor?: number }): UseCase<MpgOrderView, MpgTx> =>
  async (tx, run) => {
    const locked = await lockMpgOrder(tx, cmd.merchantId, cmd.orderId);
    if (!locked.ok) return locked;
    if (await transactionIdTaken(tx, locked.value.merchantId, cmd.orderId, cmd.transactionId)) {
      return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
    }
    const rows = await tx.listTransactions(cmd.orderId);
    const outcome = await changeOrder(tx, run, {
      orderId: cmd.orderId,
      command: {
        merchantId: cmd.merchantId,
        actor: cmd.actor,
        outcome: mpgOutcome('extension', APPROVED, sourceTypeOf(locked.value)),
        ...keyed(cmd.transactionId),
      },
      eventType: 'order.extended',
      request: { amountMinor: cmd.amountMinor ?? 0 },
      plan: (order) => planExtension(order, rows, cmd.amountMinor ?? 0),
    });
    if (!outcome.ok) return naming(outcome, 'transaction_id');
    if (!outcome.value.replayed) await indexTransactions(tx, outcome.value.transactions);
    return ok(await view(tx, outcome.value, cmd.transactionId ?? null));
  };

const keyed = (transactionId: string | undefined) =>
  transactionId ? { transactionId, idempotencyKey: coreKey('transaction_id', transactionId) } : {};

/**
 * Reverse a transaction whose outcome is unknown. Answers with the reversal transaction.
 * Errors: transaction.not_found (unknown or another merchant's), transaction.not_reversible,
 * order.duplicate_reference, idempotency.key_reused.
 */
export const mpgReverseTransaction =
  (cmd: {
    readonly merchantId: string;
    readonly actor: Actor;
    readonly targetId: string;
    readonly reason: MpgReverseReason;
    readonly transactionId?: string;
  }): UseCase<MpgOrderView, MpgTx> =>
  async (tx, run) => {
    const target = await tx.findLedgerTransaction(cmd.targetId);
    if (!target || target.merchantId !== cmd.merchantId) {
      return err(domainError('transaction.not_found'));
    }
    const locked = await lockMpgOrder(tx, cmd.merchantId, target.orderId);
    if (!locked.ok) return err(domainError('transaction.not_found'));
    if (await transactionIdTaken(tx, cmd.merchantId, target.orderId, cmd.transactionId)) {
      return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
    }
    const rows = await tx.listTransactions(target.orderId);
    const outcome = await changeOrder(tx, run, {
      orderId: target.orderId,
      command: {
        merchantId: cmd.merchantId,
        actor: cmd.actor,
        outcome: mpgOutcome('reversal', APPROVED, sourceTypeOf(locked.value), {
          reason: cmd.reason,
          transactionId: cmd.targetId,
        }),
        ...keyed(cmd.transactionId),
      },
      eventType: 'order.transaction_reversed',
      request: { targetId: cmd.targetId, reason: cmd.reason },
      plan: (order) => planReversal(order, rows, cmd.targetId),
    });
    if (!outcome.ok) return naming(outcome, 'transaction_id');
    if (!outcome.value.replayed) await indexTransactions(tx, outcome.value.transactions);
    return ok(await view(tx, outcome.value, cmd.transactionId ?? null));
  };

/** One MPG order of the merchant with its ledger, or null (unknown, foreign, other face). */
export function mpgFindOrder(
  deps: AppDeps,
  merchantId: string,
  orderId: string,
): Promise<{ order: Order; transactions: LedgerTransaction[] } | null> {
  return query(deps, async (tx) => {
    const order = ownedOrder(await tx.findOrder(orderId), { merchantId, dialect: 'mpg' });
    if (!order) return null;
    return { order, transactions: await tx.listTransactions(order.id) };
  });
}

/** A page of the merchant's MPG orders, each with its ledger. */
export function mpgListOrders(
  deps: AppDeps,
  filter: MpgOrderFilter,
): Promise<{ order: Order; transactions: LedgerTransaction[] }[]> {
  return query(deps, async (tx) => {
    const orders = await tx.listMpgOrders(filter);
    const out: { order: Order; transactions: LedgerTransaction[] }[] = [];
    for (const order of orders)
      out.push({ order, transactions: await tx.listTransactions(order.id) });
    return out;
  });
}

/** The body-id claim of a request, for `runWithBodyId`. */
export const bodyIdRequest = (
  merchantId: string,
  kind: BodyIdRequest['kind'],
  requestId: string,
  parts: unknown,
): BodyIdRequest => ({ merchantId, kind, requestId, fingerprint: fingerprint(parts) });
