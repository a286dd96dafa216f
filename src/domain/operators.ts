/**
 * Operators: named accounts of the admin face with a role, and the permissions each role and each
 * API token scope grants. Pure: no I/O. The admin face checks one permission per route
 * (src/http/admin/authorize.ts); the use cases check the amounts (a support operator's limit,
 * the four-eyes threshold) under the order's lock.
 */
import type { AdminOperation } from './operator-operations.js';
import { capturableMinor, type Order, refundableMinor } from './order.js';

/** viewer reads; support also refunds, cancels and approves up to a limit; admin does everything. */
export const OPERATOR_ROLES = ['viewer', 'support', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/**
 * What a request may need: `read` (every GET), `orders` (refunds, cancels and the other order
 * operations, refund requests, four-eyes decisions, replays), `admin` (merchants, credentials,
 * webhook endpoints, operators, tokens, jobs, the clock). An API token's scopes are these names.
 */
export const PERMISSIONS = ['read', 'orders', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Readonly<Record<OperatorRole, readonly Permission[]>> = {
  viewer: ['read'],
  support: ['read', 'orders'],
  admin: ['read', 'orders', 'admin'],
};

/** Who is asking on the admin face: the bootstrap token, a signed-in operator, or an API token. */
export interface Principal {
  readonly kind: 'bootstrap' | 'operator' | 'service';
  /** The operator acting (its own session or token); null for the bootstrap and service tokens. */
  readonly operatorId: string | null;
  /** The operator's name, `bootstrap`, or the service token's name. */
  readonly name: string;
  readonly role: OperatorRole;
  /** A token's scopes; null when the role alone decides (sessions, the bootstrap token). */
  readonly scopes: readonly Permission[] | null;
  /** The largest refund or cancel this principal may make, minor units; null: no limit. */
  readonly limitMinor: number | null;
}

/** Whether the principal's role, narrowed by its token's scopes, grants `permission`. */
export function permits(principal: Principal, permission: Permission): boolean {
  if (!ROLE_PERMISSIONS[principal.role].includes(permission)) return false;
  return principal.scopes === null || principal.scopes.includes(permission);
}

/** The scopes a role may hand to a token it issues: never more than its own. */
export const scopesWithin = (role: OperatorRole, scopes: readonly Permission[]): boolean =>
  scopes.every((s) => ROLE_PERMISSIONS[role].includes(s));

/**
 * Whether an operation moving `amountMinor` is within the principal's own limit. Admins have
 * none; a support operator without a limit set may move nothing (the admin sets it).
 */
export function withinOperatorLimit(principal: Principal, amountMinor: number): boolean {
  if (principal.role === 'admin') return true;
  return principal.limitMinor !== null && amountMinor <= principal.limitMinor;
}

/**
 * Four-eyes: a refund needs a second operator when it is above the threshold (the merchant's
 * setting, else the service's); null thresholds mean never. Exactly at the threshold needs none.
 */
export function refundNeedsApproval(
  amountMinor: number,
  merchantThresholdMinor: number | null,
  serviceThresholdMinor: number | null,
): boolean {
  const threshold = merchantThresholdMinor ?? serviceThresholdMinor;
  return threshold !== null && amountMinor > threshold;
}

/** Operator names: short, lower-case, safe in a log line and an actor label. */
export const OPERATOR_NAME_PATTERN = /^[a-z][a-z0-9._-]{1,31}$/;

/** The bootstrap admin token as a principal: a built-in admin, recorded as `admin`. */
export const BOOTSTRAP_PRINCIPAL: Principal = {
  kind: 'bootstrap',
  operatorId: null,
  name: 'bootstrap',
  role: 'admin',
  scopes: null,
  limitMinor: null,
};

/** A four-eyes request's states; `expired` is derived from the time, never stored. */
export const APPROVAL_STATES = ['pending', 'approved', 'declined', 'expired'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const approvalState = (
  stored: 'pending' | 'approved' | 'declined',
  expiresAt: number,
  now: number,
): ApprovalState => (stored === 'pending' && now >= expiresAt ? 'expired' : stored);

/**
 * The money an operator's operation moves, for the limit: a refund's or void's amount (all that
 * remains when left out); a cancel's, the order's whole amount (the value the operator gives up);
 * authorize and capture move no money back, so no limit binds them (null).
 */
export function limitedAmountMinor(
  order: Order,
  operation: AdminOperation,
  amountMinor: number | undefined,
): number | null {
  switch (operation) {
    case 'refund':
      return amountMinor ?? refundableMinor(order);
    case 'void':
      return amountMinor ?? capturableMinor(order);
    case 'cancel':
      return order.amountMinor;
    case 'authorize':
    case 'capture':
      return null;
  }
}
