/** How Points' ledger rows move a customer's wallet of points. */
import { unreachable } from './result.js';

/** How a points ledger row moves the customer's wallet: + gives points, − takes them. */
export function customerPointsDelta(type: string, points: number): number {
  switch (type) {
    case 'points_award':
    case 'points_return':
      return points;
    case 'points_redeem':
    case 'points_reversal':
      return -points;
    default:
      return 0;
  }
}

export const CUSTOMER_ENTRY_TYPES = [
  'adjustment',
  'award',
  'redeem',
  'reversal',
  'return',
] as const;
export type CustomerEntryType = (typeof CUSTOMER_ENTRY_TYPES)[number];

/** The wallet entry type of a points ledger row type. */
export function customerEntryType(
  type: 'points_award' | 'points_redeem' | 'points_reversal' | 'points_return',
): CustomerEntryType {
  switch (type) {
    case 'points_award':
      return 'award';
    case 'points_redeem':
      return 'redeem';
    case 'points_reversal':
      return 'reversal';
    case 'points_return':
      return 'return';
    default:
      return unreachable(type);
  }
}
