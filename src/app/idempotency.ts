/**
 * The `Idempotency-Key` header on every write of every face
 * (docs/decisions/general.md#idempotency-key):
 * - the same key with the same request returns the stored response, marked as a replay;
 * - the same key with a different request is `idempotency.key_reused`;
 * - the same key while the first request still runs is `idempotency.in_progress`.
 *
 * A key is a claim (src/app/claims.ts), made with a lease in a short transaction of its own. The use case then runs in a
 * second transaction that also renders and stores the response under the lease, so a committed
 * change and its stored response can never disagree. A crash between the two leaves a lease that
 * expires, after which a retry takes the key over. An unexpected error releases the key, so the
 * client may retry; an expected failure is stored and replayed like a success.
 *
 * The two transactions are by design (docs/security.md, "A refusal never follows a state
 * change"): the claim must be visible to a duplicate on another process while the first request
 * still runs, so it commits first. What it writes is only the lease, which no client sees as a
 * change: a duplicate is told `idempotency.in_progress` and retries, and a failure after the
 * claim (refusal, error, crash) writes nothing else and leaves the key free or soon free.
 *
 * A response that shows a secret once (new credentials) supplies a `storedBody` without it: the
 * replay then says the secret was shown already, and no plaintext secret is ever stored.
 *
 * Keys belong to a `KeyScope`, built only by the functions below (docs/security.md, "Idempotency
 * keys belong to the merchant and face"): a merchant's keys on one face, the admin face's keys,
 * or a hosted page's keys. Never a credential row: a merchant that rotates its key and retries
 * must get the stored answer, not a second change.
 */
import crypto from 'node:crypto';
import { domainError, type DomainError } from '../domain/errors.js';
import type { CredentialDialect } from '../domain/merchant.js';
import { err, type Result } from '../domain/result.js';
import { claimOnce } from './claims.js';
import { type AppDeps, execute, type UseCase } from './context.js';
import { LIMITS } from './limits.js';

declare const keyScopeBrand: unique symbol;

/** Whose keys these are; made only by the constructors below. */
export type KeyScope = string & { readonly [keyScopeBrand]: true };

/**
 * A merchant's keys on one face: the same for every credential the merchant has had on that face,
 * so a rotation keeps them. Migration 10 moved rows stored per credential to this form.
 */
export const merchantKeyScope = (face: CredentialDialect, merchantId: string): KeyScope =>
  `${face}:merchant:${merchantId}` as KeyScope;

/**
 * The admin face's keys: one namespace whoever calls it (the admin token, a rotated token, a
 * dashboard session, and later operator accounts), because they all act as the one admin.
 */
export const ADMIN_KEY_SCOPE = 'admin' as KeyScope;

/**
 * A hosted page's keys: its buyer's, scoped to the page's own credential (the Backd terms page's
 * token, by its hash; the Points checkout session's id), which no merchant key rotation changes.
 */
export const hostedPageKeyScope = (page: 'backd-checkout' | 'points-pay', id: string): KeyScope =>
  `${page}:${id}` as KeyScope;

export interface IdempotencyRequest {
  /** Whose key this is (see KeyScope). */
  readonly scope: KeyScope;
  readonly key: string;
  /** Fingerprint of the request: method, path and body. */
  readonly fingerprint: string;
}

/** A rendered response; `storedBody` replaces `body` in storage when it must differ. */
export interface RenderedResponse {
  readonly status: number;
  readonly body: string;
  readonly storedBody?: string;
}

export interface StoredResponse {
  readonly status: number;
  readonly body: string;
  readonly replayed: boolean;
}

/**
 * Runs `useCase` at most once per key and renders its result into the response to store.
 * `render` must be pure: it runs inside the transaction.
 */
export async function executeWithIdempotencyKey<T>(
  deps: AppDeps,
  request: IdempotencyRequest,
  useCase: UseCase<T>,
  render: (result: Result<T, DomainError>) => RenderedResponse,
): Promise<StoredResponse> {
  const leaseToken = crypto.randomUUID();
  const claim = await claimKey(deps, request, leaseToken);
  if (claim.kind === 'stored') return { ...claim.response, replayed: true };
  if (claim.kind === 'refused') return { ...withoutStored(render(claim.result)), replayed: false };

  let rendered: RenderedResponse | undefined;
  let result: Result<T, DomainError>;
  try {
    result = await execute(deps, useCase, async (tx, value) => {
      rendered = render({ ok: true, value });
      const body = rendered.storedBody ?? rendered.body;
      const stored = await tx.completeClaim(request.scope, request.key, leaseToken, {
        status: rendered.status,
        body,
      });
      // Our lease expired and another request took the key over: undo our change.
      if (!stored) throw new LeaseLost();
    });
  } catch (error) {
    await deps.store.transaction((tx) => tx.releaseClaim(request.scope, request.key, leaseToken));
    if (error instanceof LeaseLost) {
      const busy = render({ ok: false, error: domainError('idempotency.in_progress') });
      return { ...withoutStored(busy), replayed: false };
    }
    throw error;
  }
  if (result.ok) return { status: rendered!.status, body: rendered!.body, replayed: false };

  // An expected failure wrote nothing; store its response so a retry gets the same answer. If
  // this store fails, the lease simply expires and a retry runs the use case afresh.
  const failure = render(result);
  await deps.store.transaction((tx) =>
    tx.completeClaim(request.scope, request.key, leaseToken, {
      status: failure.status,
      body: failure.body,
    }),
  );
  return { ...withoutStored(failure), replayed: false };
}

class LeaseLost extends Error {}

const withoutStored = (r: RenderedResponse) => ({ status: r.status, body: r.body });

type KeyClaim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'stored'; readonly response: { status: number; body: string } }
  | { readonly kind: 'refused'; readonly result: Result<never, DomainError> };

async function claimKey(
  deps: AppDeps,
  request: IdempotencyRequest,
  leaseToken: string,
): Promise<KeyClaim> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const claimed = await claimOnce(
      tx,
      request,
      { lease: { token: leaseToken, expiresAt: now + LIMITS.idempotencyLeaseMs } },
      { now, expiresAt: now + LIMITS.idempotencyRetentionMs },
    );
    switch (claimed.kind) {
      case 'claimed':
        return { kind: 'claimed' } as const;
      case 'done': {
        const { resultStatus, result } = claimed.claim;
        return { kind: 'stored', response: { status: resultStatus ?? 500, body: result ?? '' } };
      }
      case 'reused':
        return { kind: 'refused', result: err(domainError('idempotency.key_reused')) };
      case 'held':
        return { kind: 'refused', result: err(domainError('idempotency.in_progress')) };
    }
  });
}
