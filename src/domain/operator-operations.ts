/**
 * What an operator may do to an order of each face, as data: the one table the admin API's
 * operations follow (src/app/admin-order-operations.ts) and the dashboard reads to offer only
 * what would be accepted. An order's money may move only in ways its face's own records show
 * (docs/dialects/backd.md "Refunds by operators"), so:
 *
 * - `core`: Unwind's own orders: the core operation as it is;
 * - `face`: the face's own operation, after its own state machine (Backd's cancel_order, Points'
 *   table, MPG's capture/void/refund with MPG's references);
 * - `refund_request`: Backd's refunds: only through a refund request;
 * - `not_in_lifecycle`: the face has no such operation; refused.
 */
import { type BackdOrderStatus, transitionBackdOrder } from './backd-order.js';
import type { ErrorCode } from './errors.js';
import { type CaptureMethod, type Dialect, type OrderKind, type OrderStatus } from './order.js';
import { pointsTransitionError } from './points.js';
import type { RefundRequestStatus } from './refund-request.js';

export const ADMIN_OPERATIONS = ['authorize', 'capture', 'void', 'cancel', 'refund'] as const;
export type AdminOperation = (typeof ADMIN_OPERATIONS)[number];

export type OperatorRoute = 'core' | 'face' | 'refund_request' | 'not_in_lifecycle';

export const OPERATOR_ROUTES: Readonly<
  Record<Dialect, Readonly<Record<AdminOperation, OperatorRoute>>>
> = {
  admin: { authorize: 'core', capture: 'core', void: 'core', cancel: 'core', refund: 'core' },
  backd: {
    // Backd captures the whole total when the merchant confirms; nothing is ever reserved.
    authorize: 'not_in_lifecycle',
    capture: 'not_in_lifecycle',
    void: 'not_in_lifecycle',
    cancel: 'face',
    refund: 'refund_request',
  },
  points: {
    authorize: 'face',
    capture: 'face',
    // Points' cancel releases the reservation and returns redeemed points; it has no void.
    void: 'not_in_lifecycle',
    cancel: 'face',
    refund: 'face',
  },
  mpg: {
    // An MPG order is authorized when created, and ends with a void, never a cancel.
    authorize: 'not_in_lifecycle',
    capture: 'face',
    void: 'face',
    cancel: 'not_in_lifecycle',
    refund: 'face',
  },
};

/** What the dashboard knows of an order. */
export interface OperatorView {
  readonly dialect: Dialect;
  readonly kind: OrderKind;
  readonly status: OrderStatus;
  readonly amountMinor: number;
  readonly captureMethod: CaptureMethod | null;
  readonly refundableMinor: number;
  /** Backd's status, for a Backd order. */
  readonly backdStatus: BackdOrderStatus | null;
}

/** The face's own refusal of a cancel or a refund, before the core's. */
function faceRefusal(operation: 'cancel' | 'refund', o: OperatorView): ErrorCode | null {
  switch (o.dialect) {
    case 'backd':
      // Only the cancel is Backd's own; its refunds go through requests.
      return operation === 'cancel' &&
        o.backdStatus !== null &&
        transitionBackdOrder(o.backdStatus, 'cancel').ok
        ? null
        : 'backd_order.invalid_state';
    case 'points':
      return pointsTransitionError(operation, o);
    default:
      return null;
  }
}

/**
 * Whether the dashboard offers a cancel or a (plain) refund of the order: the face's route
 * allows it, the face's state machine would accept it, and the core has something to do. A
 * Backd order is never refunded so (see `backdRequestActions`).
 */
export function operatorMayOffer(operation: 'cancel' | 'refund', o: OperatorView): boolean {
  const route = OPERATOR_ROUTES[o.dialect][operation];
  if (route !== 'core' && route !== 'face') return false;
  if (route === 'face' && faceRefusal(operation, o) !== null) return false;
  return operation === 'cancel'
    ? o.status === 'pending' || o.status === 'authorized'
    : o.refundableMinor > 0;
}

/**
 * What an operator may do with a Backd order's refund requests: submit one while Backd accepts
 * requests, money remains and no locked request is waiting to settle (a draft is replaced by
 * naming it); withdraw the active request while it is a draft.
 */
export function backdRequestActions(
  backdStatus: BackdOrderStatus,
  refundableMinor: number,
  active: { readonly status: RefundRequestStatus } | null,
): { readonly submit: boolean; readonly withdraw: boolean } {
  const accepts = transitionBackdOrder(backdStatus, 'request_refund').ok;
  return {
    submit: accepts && refundableMinor > 0 && active?.status !== 'approved',
    withdraw: accepts && active?.status === 'draft',
  };
}
