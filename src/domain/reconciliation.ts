/**
 * Reconciliation of the ledger against a provider's settlement report: the records, the kinds of
 * discrepancy, and the one policy that acts on one (issue 7). Pure: time comes in as `now`.
 *
 * A settlement report is one merchant's, from one provider: every run names that scope, and
 * only the scope's orders are read, reported or acted on (docs/security.md).
 */
import { CREDENTIAL_DIALECTS, type CredentialDialect } from './merchant.js';
import type { Order, TransactionType } from './order.js';

/** The faces a settlement report can come from: the providers', never the admin face. */
export const RECONCILED_DIALECTS = CREDENTIAL_DIALECTS;
export type ReconciledDialect = CredentialDialect;

/** What a run reconciles: the merchant and the face whose settlement report it is. */
export interface ReconciliationScope {
  readonly merchantId: string;
  readonly dialect: ReconciledDialect;
}

/** True when the order is one of the scope's: the merchant's, on the face. */
export const inScope = (
  order: Pick<Order, 'merchantId' | 'dialect'>,
  scope: ReconciliationScope,
): boolean => order.merchantId === scope.merchantId && order.dialect === scope.dialect;

/** A report row is a payment (money in) or a refund (money out). */
export type ReportRowType = 'payment' | 'refund';

/**
 * The ledger's transaction types that a report's payment rows settle: captured money, taken in
 * one step (purchase) or after an authorization (capture). Refunds settle as refunds.
 */
export const PAYMENT_LEDGER_TYPES = [
  'purchase',
  'capture',
] as const satisfies readonly TransactionType[];

/** One well-formed settlement-report row, amounts in minor units of its own currency. */
export interface ReportRow {
  readonly line: number;
  readonly orderReference: string;
  readonly transactionReference: string;
  readonly type: ReportRowType;
  readonly amountMinor: number;
  readonly currency: string;
  readonly settledAt: number;
}

export const FINDING_KINDS = [
  'malformed_row', // a report row that could not be read; its line and the reason
  // The report names an order that is not one of the scope's: none exists, or another merchant's
  // or face's does; the two read alike, so a report never learns what exists outside its scope.
  'unknown_order',
  'missing_in_report', // the ledger moved money in the range that the report does not list
  'missing_in_unwind', // the report lists money the scope's order does not have
  'amount_mismatch', // both list the order's payments (or refunds) with different totals
  'currency_mismatch', // the report's currency is not the order's
  'duplicate', // a transaction reference listed more than once
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_ACTIONS = [
  'none', // reported only: every discrepancy but one is never acted on
  'pending_grace', // an auto-refund candidate still inside its grace period
  'auto_refund', // an auto-refund candidate past its grace period (a dry run stops here)
  'auto_refunded', // the run was applied and the order reversed
  'skipped', // applied, but the re-check found nothing to do (see action_detail)
] as const;
export type FindingAction = (typeof FINDING_ACTIONS)[number];

export interface Finding {
  readonly runId: string;
  readonly seq: number;
  readonly kind: FindingKind;
  readonly line: number | null;
  readonly orderReference: string | null;
  readonly orderId: string | null;
  readonly merchantId: string | null;
  readonly transactionReference: string | null;
  readonly type: ReportRowType | null;
  readonly expectedMinor: number | null;
  readonly reportedMinor: number | null;
  readonly expectedCurrency: string | null;
  readonly reportedCurrency: string | null;
  readonly message: string;
  readonly action: FindingAction;
  readonly actionDetail: string | null;
  readonly updatedAt: number;
}

export type RunStatus = 'processing' | 'completed' | 'applied' | 'failed';

/** Counts per finding kind and action, plus the rows read. */
export interface RunSummary {
  readonly rows: number;
  readonly malformed_rows: number;
  readonly matched: number;
  readonly unknown_order: number;
  readonly missing_in_report: number;
  readonly missing_in_unwind: number;
  readonly amount_mismatch: number;
  readonly currency_mismatch: number;
  readonly duplicate: number;
  readonly pending_grace: number;
  readonly auto_refund: number;
  readonly auto_refunded: number;
  readonly skipped: number;
}

/** The summary count of each finding kind; a new kind fails the typecheck until it is here. */
const SUMMARY_KEY_OF_KIND = {
  malformed_row: 'malformed_rows',
  unknown_order: 'unknown_order',
  missing_in_report: 'missing_in_report',
  missing_in_unwind: 'missing_in_unwind',
  amount_mismatch: 'amount_mismatch',
  currency_mismatch: 'currency_mismatch',
  duplicate: 'duplicate',
} as const satisfies Record<FindingKind, keyof RunSummary>;

/** How many findings a run's summary counts, over every kind. */
export const findingCount = (summary: Readonly<Partial<Record<keyof RunSummary, number>>>) =>
  FINDING_KINDS.reduce((sum, kind) => sum + (summary[SUMMARY_KEY_OF_KIND[kind]] ?? 0), 0);

export const EMPTY_SUMMARY: RunSummary = {
  rows: 0,
  malformed_rows: 0,
  matched: 0,
  unknown_order: 0,
  missing_in_report: 0,
  missing_in_unwind: 0,
  amount_mismatch: 0,
  currency_mismatch: 0,
  duplicate: 0,
  pending_grace: 0,
  auto_refund: 0,
  auto_refunded: 0,
  skipped: 0,
};

export interface ReconciliationRun {
  readonly id: string;
  readonly status: RunStatus;
  /** `api`, `cli` or `folder:<file name>`. */
  readonly source: string;
  /**
   * The merchant and face reconciled. Null only on runs stored before runs had a scope (they
   * matched every merchant's orders); such a run is never applied.
   */
  readonly scope: ReconciliationScope | null;
  /** The ledger range compared: [fromAt, toAt). */
  readonly fromAt: number;
  readonly toAt: number;
  readonly summary: RunSummary;
  readonly error: string | null;
  readonly createdAt: number;
  readonly completedAt: number | null;
  readonly appliedAt: number | null;
}

/** The reason Points gives an automatic refund of an order whose transaction was missing. */
export const AUTO_REFUND_REASON = 'auto_refund_missing_transaction';

/** The idempotency key of an order's automatic refund: one per order, whatever the run. */
export const autoRefundKey = (orderId: string): string => `auto-refund:${orderId}`;

const HOUR_MS = 3_600_000;

/**
 * What the policy does about an order whose payment the report is missing. Only a captured
 * replacing Points order qualifies (its points were spent on a payment that never settled); it
 * is reversed once `graceHours` have passed since the capture, and only while something remains
 * to refund. Everything else is reported and left alone.
 */
export function autoRefundDecision(
  order: Pick<Order, 'dialect' | 'kind' | 'capturedAt' | 'capturedMinor' | 'refundedMinor'>,
  graceHours: number,
  now: number,
): 'none' | 'pending_grace' | 'auto_refund' {
  if (order.dialect !== 'points' || order.kind !== 'replacing') return 'none';
  if (order.capturedAt === null || order.capturedMinor - order.refundedMinor <= 0) return 'none';
  return now >= order.capturedAt + graceHours * HOUR_MS ? 'auto_refund' : 'pending_grace';
}
