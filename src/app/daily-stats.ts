/**
 * Per-day figures for the dashboard's charts: approved refunds (count and amount per currency),
 * cancels and voids from the ledger, and webhook delivery attempts, over local days of a time
 * zone. Every day of the range is present, with zeros where nothing happened.
 */
import type { AppDeps } from './context.js';
import { type LocalDay, localDays } from './local-days.js';

/** Longest range one request may ask for, in days (a leap year). */
export const DAILY_STATS_DAYS_MAX = 366;

export interface DayStats {
  readonly date: string;
  readonly refunds: {
    readonly count: number;
    /**
     * One entry per currency refunded that day, by currency code. A sum over any number of
     * refunds, so no bound keeps it within a number: exact as a bigint.
     */
    readonly amounts: readonly { readonly currency: string; readonly amountMinor: bigint }[];
  };
  readonly cancels: { readonly count: number };
  /** Void rows, including the one a cancel writes when it releases a reservation. */
  readonly voids: { readonly count: number };
  readonly webhooks: { readonly attempts: number; readonly succeeded: number };
}

export async function dailyStats(
  deps: AppDeps,
  query: {
    readonly timeZone: string;
    readonly fromDay: number;
    readonly toDay: number;
    readonly merchantId?: string;
  },
): Promise<DayStats[]> {
  const days: LocalDay[] = localDays(query.timeZone, query.fromDay, query.toDay);
  const { ledger, attempts } = await deps.store.read(async (tx) => ({
    ledger: await tx.dailyLedgerCounts(days, query.merchantId),
    attempts: await tx.dailyAttemptCounts(days, query.merchantId),
  }));
  return days.map((day, i) => {
    const rows = ledger.filter((r) => r.day === i);
    const count = (type: string) =>
      rows.filter((r) => r.type === type).reduce((n, r) => n + r.count, 0);
    const refunds = rows
      .filter((r) => r.type === 'refund')
      .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
    const webhook = attempts.find((a) => a.day === i);
    return {
      date: day.date,
      refunds: {
        count: count('refund'),
        amounts: refunds.map((r) => ({ currency: r.currency, amountMinor: r.amountMinor })),
      },
      cancels: { count: count('cancel') },
      voids: { count: count('void') },
      webhooks: { attempts: webhook?.attempts ?? 0, succeeded: webhook?.succeeded ?? 0 },
    };
  });
}
