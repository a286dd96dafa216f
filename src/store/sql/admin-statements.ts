/**
 * Reads behind the operator dashboard (admin API): merchants by name, webhook endpoints with
 * their health, and the per-day aggregates of the charts. Every figure is an aggregate computed
 * by the database over an index range; no rows are loaded to be counted in JavaScript. Counts are
 * COUNT(*) of rows, which no table will ever hold 2^53 of; money sums run over any number of rows
 * and are therefore exact (`exactSum`).
 */
import type { DayRange, StoreTx } from '../../app/ports/store.js';
import { int, intOrNull, str, strOrNull, sum } from './rows.js';
import { exactSum, exactSumOf, type SqlSession } from './sql-helpers.js';

type AdminStatements = Pick<StoreTx, 'webhookHealth' | 'dailyLedgerCounts' | 'dailyAttemptCounts'>;

/** An attempt answered with a 2xx: `judgeAttempt`'s rule for "delivered" (src/domain/webhooks.ts). */
const SUCCEEDED = 'a.status_code BETWEEN 200 AND 299';
/** Its complement, with no answer at all (timeout, refused connection) counted as failed. */
const FAILED = '(a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299)';

/**
 * The days as a table `days (day, from_at, to_at)` for a range join. The casts give PostgreSQL
 * the types of the parameters, which a VALUES list would otherwise read as text. The parameters
 * go on with the whole range as two constants (so any plan reads only that part of an index),
 * then the merchant when given: the query's own `?`s must come in that order.
 */
function daysTable(
  days: readonly DayRange[],
  merchantId: string | undefined,
): { sql: string; params: unknown[] } {
  const rows = days.map(() => '(CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT))');
  return {
    sql: `WITH days (day, from_at, to_at) AS (VALUES ${rows.join(', ')})`,
    params: [
      ...days.flatMap((d, i) => [i, d.fromAt, d.toAt]),
      Math.min(...days.map((d) => d.fromAt)),
      Math.max(...days.map((d) => d.toAt)),
      ...(merchantId === undefined ? [] : [merchantId]),
    ],
  };
}

export function createAdminStatements(db: SqlSession): AdminStatements {
  return {
    // The window is read first, through the attempts' start-time index, and each attempt's
    // delivery by its key: SQLite keeps a CROSS JOIN's order (without table statistics it would
    // otherwise walk all of a merchant's deliveries ever made); PostgreSQL plans it freely.
    async webhookHealth({ merchantId, fromAt, toAt }) {
      const ofMerchant = merchantId === undefined ? '' : 'AND d.merchant_id = ?';
      const windowParams = merchantId === undefined ? [fromAt, toAt] : [fromAt, toAt, merchantId];
      const attempts = await db.all(
        `SELECT d.endpoint_id, COUNT(*) AS attempts,
           SUM(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END) AS succeeded
         FROM delivery_attempts a CROSS JOIN deliveries d
         WHERE d.id = a.delivery_id AND a.started_at >= ? AND a.started_at < ? ${ofMerchant}
         GROUP BY d.endpoint_id`,
        windowParams,
      );
      const failures = await db.all(
        `SELECT endpoint_id, started_at, delivery_id, status_code, error FROM (
           SELECT d.endpoint_id, a.started_at, a.delivery_id, a.status_code, a.error,
             ROW_NUMBER() OVER (PARTITION BY d.endpoint_id ORDER BY a.started_at DESC, a.id DESC)
               AS latest
           FROM delivery_attempts a CROSS JOIN deliveries d
           WHERE d.id = a.delivery_id AND a.started_at >= ? AND a.started_at < ? AND ${FAILED}
             ${ofMerchant}
         ) AS failures WHERE latest = 1`,
        windowParams,
      );
      // The backlog now, whatever its age; the partial index holds only these two states.
      const backlog = await db.all(
        `SELECT endpoint_id,
           SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
           SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END) AS dead
         FROM deliveries
         WHERE status IN ('pending', 'dead') ${merchantId === undefined ? '' : 'AND merchant_id = ?'}
         GROUP BY endpoint_id`,
        merchantId === undefined ? [] : [merchantId],
      );

      const health = new Map<
        string,
        { attempts: number; succeeded: number; pending: number; dead: number }
      >();
      const entry = (id: string) => {
        let h = health.get(id);
        if (!h) health.set(id, (h = { attempts: 0, succeeded: 0, pending: 0, dead: 0 }));
        return h;
      };
      for (const r of attempts) {
        const h = entry(str(r, 'endpoint_id'));
        h.attempts = int(r, 'attempts');
        h.succeeded = sum(r, 'succeeded');
      }
      for (const r of backlog) {
        const h = entry(str(r, 'endpoint_id'));
        h.pending = sum(r, 'pending');
        h.dead = sum(r, 'dead');
      }
      const lastFailures = new Map(
        failures.map((r) => [
          str(r, 'endpoint_id'),
          {
            at: int(r, 'started_at'),
            deliveryId: str(r, 'delivery_id'),
            statusCode: intOrNull(r, 'status_code'),
            error: strOrNull(r, 'error'),
          },
        ]),
      );
      return [...health].map(([endpointId, h]) => ({
        endpointId,
        ...h,
        lastFailure: lastFailures.get(endpointId) ?? null,
      }));
    },

    async dailyLedgerCounts(days, merchantId) {
      if (days.length === 0) return [];
      const table = daysTable(days, merchantId);
      const rows = await db.all(
        `${table.sql}
         SELECT days.day, t.type, t.currency, COUNT(*) AS n, ${exactSum('t.amount_minor', 'amount')}
         FROM days JOIN transactions t
           ON t.created_at >= days.from_at AND t.created_at < days.to_at
         WHERE t.type IN ('refund', 'cancel', 'void') AND t.status = 'approved'
           AND t.created_at >= ? AND t.created_at < ?
           ${merchantId === undefined ? '' : 'AND t.merchant_id = ?'}
         GROUP BY days.day, t.type, t.currency`,
        table.params,
      );
      return rows.map((r) => ({
        day: int(r, 'day'),
        type: str(r, 'type') as 'refund' | 'cancel' | 'void',
        currency: str(r, 'currency'),
        count: int(r, 'n'),
        amountMinor: exactSumOf(r, 'amount'),
      }));
    },

    async dailyAttemptCounts(days, merchantId) {
      if (days.length === 0) return [];
      const table = daysTable(days, merchantId);
      const rows = await db.all(
        `${table.sql}
         SELECT days.day, COUNT(*) AS attempts,
           SUM(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END) AS succeeded
         FROM days CROSS JOIN delivery_attempts a
         ${merchantId === undefined ? '' : 'CROSS JOIN deliveries d'}
         WHERE a.started_at >= days.from_at AND a.started_at < days.to_at
           AND a.started_at >= ? AND a.started_at < ?
           ${merchantId === undefined ? '' : 'AND d.id = a.delivery_id AND d.merchant_id = ?'}
         GROUP BY days.day`,
        table.params,
      );
      return rows.map((r) => ({
        day: int(r, 'day'),
        attempts: int(r, 'attempts'),
        succeeded: sum(r, 'succeeded'),
      }));
    },
  };
}
