/**
 * What a dialect adds to the core, as hooks the core calls without naming any dialect: the
 * credentials of its face, the effects of an order change outside the core's tables (Points moves
 * customers' wallets) and the extra ledger facts `unwind verify` checks (Backd's refund requests,
 * Points' wallets). Each dialect's
 * app module exports its hooks; src/app/dialects.ts registers them all once, and the composition
 * root (src/main.ts, the CLI, the test stores) imports it. The core asserts that they were
 * registered, so a process that forgot cannot change an order without its dialect's effects.
 */
import type { DomainError } from '../domain/errors.js';
import type { CredentialDialect, CredentialKind } from '../domain/merchant.js';
import type { Order } from '../domain/order.js';
import { assert, ok, type Result } from '../domain/result.js';
import type { RunContext } from './context.js';
import type { LedgerTransaction } from './ports/ledger.js';
import type { StoreTx } from './ports/store.js';

/** What kind of thing a violation found by `unwind verify` is about. */
export type ViolationSubject =
  | 'order'
  | 'transaction'
  | 'refund_request'
  | 'wallet'
  | 'wallet_entry'
  | 'checkout_session'
  | 'backd_order'
  | 'report_row'
  | 'reconciliation_finding'
  | 'merchant'
  | 'webhook';

export interface Violation {
  readonly subject: ViolationSubject;
  readonly id: string;
  readonly problem: string;
}

/** A checked effect of a change, written after the order's new totals and before its event. */
export type ChangeEffect = () => Promise<void>;

/**
 * A dialect's hooks. Each runs in the caller's transaction and may use any of its ports: a dialect
 * keeps what the core does not model in its own tables.
 */
export interface DialectHooks {
  readonly dialect: CredentialDialect;
  /**
   * The credentials a merchant holds on this dialect's face, issued at its creation and rotation
   * (src/app/merchants.ts): each kind's tag (the secret's visible start), and the permissions a
   * new merchant's keys carry.
   */
  readonly credentials: {
    readonly tags: Readonly<Partial<Record<CredentialKind, string>>>;
    readonly permissions: readonly string[];
  };
  /**
   * Called by `commitChange` for every order change, before anything is written: returns the
   * change's effect on this dialect's tables, or null when it has none, or a refusal (which leaves
   * nothing written: a refusal never follows a write).
   */
  readonly planEffects?: (
    tx: StoreTx,
    run: RunContext,
    order: Order,
    rows: readonly LedgerTransaction[],
  ) => Promise<Result<ChangeEffect | null, DomainError>>;
  /**
   * Called by `unwind verify` once per page with that page's orders of this dialect (possibly
   * none): one read per page, whatever the page's size.
   */
  readonly verifyOrders?: (tx: StoreTx, orders: readonly Order[]) => Promise<Violation[]>;
  /** Called by `unwind verify` once: violations in this dialect's own tables, at most `max`. */
  readonly verifyTables?: (tx: StoreTx, max: number) => Promise<Violation[]>;
}

let registered: readonly DialectHooks[] | null = null;

/** Registers every dialect's hooks at once (src/app/dialects.ts). */
export function registerDialectHooks(hooks: readonly DialectHooks[]): void {
  registered = hooks;
}

/** The registered hooks, in registration order; fail loudly when src/app/dialects.ts was not imported. */
export function dialectHooks(): readonly DialectHooks[] {
  assert(registered !== null, 'no dialect hooks registered: import src/app/dialects.ts first');
  return registered;
}

/**
 * Every dialect's effects of one change, planned (and possibly refused) before its first write.
 * Errors: whatever a hook refuses (Points: points.balance_out_of_bounds).
 */
export async function planDialectEffects(
  tx: StoreTx,
  run: RunContext,
  order: Order,
  rows: readonly LedgerTransaction[],
): Promise<Result<ChangeEffect[], DomainError>> {
  const effects: ChangeEffect[] = [];
  for (const hooks of dialectHooks()) {
    const planned = await hooks.planEffects?.(tx, run, order, rows);
    if (planned && !planned.ok) return planned;
    if (planned?.value) effects.push(planned.value);
  }
  return ok(effects);
}

/** The registered hooks of `dialect`. */
export function hooksOf(dialect: CredentialDialect): DialectHooks {
  const hooks = dialectHooks().find((h) => h.dialect === dialect);
  assert(hooks !== undefined, `no hooks registered for ${dialect}`);
  return hooks;
}
