/**
 * What every use case gets, and the executor that runs one use case in one database transaction.
 */
import type { DomainError } from '../domain/errors.js';
import { ok, type Result } from '../domain/result.js';
import type { IdGenerator } from './ids.js';
import type { Clock } from './ports/clock.js';
import { type Store, type StoreTx, UniqueViolation } from './ports/store.js';

export interface AppDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  /** Told after each committed change, so background work (webhooks) can start at once. */
  readonly afterCommit?: () => void;
  /**
   * Webhook URLs may name private and loopback hosts (UNWIND_WEBHOOK_ALLOW_PRIVATE=1). Unset or
   * false: the faces refuse them at registration, as the sender does at every connection.
   */
  readonly webhookAllowPrivate?: boolean;
  /** Operators' invites and four-eyes refunds (src/app/operators.ts); defaults when left out. */
  readonly operatorPolicy?: OperatorPolicy;
}

/** The operator settings of src/config.ts (README's configuration table). */
export interface OperatorPolicy {
  /** Refunds above this need a second operator, unless the merchant sets its own; null: never. */
  readonly approvalAboveMinor: number | null;
  /** How long a four-eyes request waits for its second operator. */
  readonly approvalTtlMs: number;
  /** How long an invite can be accepted. */
  readonly inviteTtlMs: number;
}

export const DEFAULT_OPERATOR_POLICY: OperatorPolicy = {
  approvalAboveMinor: null,
  approvalTtlMs: 24 * 3_600_000,
  inviteTtlMs: 72 * 3_600_000,
};

export const operatorPolicy = (deps: AppDeps): OperatorPolicy =>
  deps.operatorPolicy ?? DEFAULT_OPERATOR_POLICY;

/** Who asked: recorded on every ledger row and event (the audit trail). */
export type Actor =
  | { readonly kind: 'admin' }
  | { readonly kind: 'operator'; readonly name: string }
  | { readonly kind: 'service'; readonly name: string }
  | { readonly kind: 'credential'; readonly prefix: string }
  | { readonly kind: 'job'; readonly name: string }
  | { readonly kind: 'customer' };

export const actorLabel = (actor: Actor): string => {
  switch (actor.kind) {
    case 'admin':
      return 'admin';
    case 'operator':
      return `operator:${actor.name}`;
    case 'service':
      return `service:${actor.name}`;
    case 'credential':
      return `credential:${actor.prefix}`;
    case 'job':
      return `job:${actor.name}`;
    case 'customer':
      return 'customer';
  }
};

/** The time and id source of one use case: read once, so the use case sees one instant. */
export interface RunContext {
  readonly now: number;
  readonly newId: IdGenerator;
  /**
   * True on `execute`'s second attempt, after the first met a unique violation: a step that
   * writes behind and leaves a conflict to a unique index (claimCompletedBehind) takes the path
   * that answers it instead, so the retry cannot meet the same violation again.
   */
  readonly afterConflict?: boolean;
}

/**
 * A use case: rules applied inside one transaction. Returns an expected failure as a value. `Tx`
 * names the ports it uses (`UseCase<T, LedgerStore & OutboxStore>`), so a reader sees what it
 * touches; any use case runs where a `UseCase<T>` (the whole `StoreTx`) is expected.
 */
export type UseCase<T, Tx = StoreTx> = (tx: Tx, run: RunContext) => Promise<Result<T, DomainError>>;

/** A use case whose answer is `pick` of another's (a face that shows only part of it). */
export const mapUseCase =
  <T, U, Tx = StoreTx>(useCase: UseCase<T, Tx>, pick: (value: T) => U): UseCase<U, Tx> =>
  async (tx, run) => {
    const result = await useCase(tx, run);
    return result.ok ? { ok: true, value: pick(result.value) } : result;
  };

/** Carries an expected failure out of the store's transaction so that it rolls back. */
class Rollback extends Error {
  constructor(readonly result: Result<never, DomainError>) {
    super('rollback');
  }
}

/**
 * Runs a use case in one transaction. An expected failure rolls back everything it wrote. A
 * unique-constraint race (two requests creating the same key or reference) is retried once: the
 * retry sees the winner's committed row and answers as a replay or a typed conflict.
 */
export async function execute<T>(
  deps: AppDeps,
  useCase: UseCase<T>,
  inTransaction?: (tx: StoreTx, value: T) => Promise<void>,
): Promise<Result<T, DomainError>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const committed = await deps.store.transaction(async (tx) => {
        const result = await useCase(tx, {
          now: deps.clock.now(),
          newId: deps.newId,
          ...(attempt > 0 ? { afterConflict: true } : {}),
        });
        if (!result.ok) throw new Rollback(result);
        if (inTransaction) await inTransaction(tx, result.value);
        return result;
      });
      deps.afterCommit?.();
      return committed;
    } catch (error) {
      if (error instanceof Rollback) return error.result;
      if (error instanceof UniqueViolation && attempt === 0) continue;
      throw error;
    }
  }
}

/**
 * `useCase` with its answer built inside the same transaction (docs/security.md, "A refusal never
 * follows a state change"): an answer that cannot be built (a throw) rolls the change back with
 * it, so no client is told "error" about a change that committed. `answer` must be pure.
 */
export const answering =
  <T, A, Tx = StoreTx>(useCase: UseCase<T, Tx>, answer: (value: T) => A): UseCase<A, Tx> =>
  async (tx, run) => {
    const result = await useCase(tx, run);
    return result.ok ? ok(answer(result.value)) : result;
  };

/** True when the database answers and every migration is applied (readiness). */
export const databaseReady = (deps: AppDeps): Promise<boolean> => deps.store.ready();

/** What the store has sent to its database since it opened (GET /admin/metrics). */
export const storeCounters = (deps: AppDeps) => deps.store.counters();

/** Runs reads against committed data. */
export function query<T>(
  deps: AppDeps,
  work: (tx: StoreTx, now: number) => Promise<T>,
): Promise<T> {
  return deps.store.read((tx) => work(tx, deps.clock.now()));
}
