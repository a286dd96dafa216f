/** Admin: per-day figures for the dashboard's charts. */
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app/context.js';
import { dailyStats } from '../../app/daily-stats.js';
import { canonicalTimeZone, epochDay } from '../../app/local-days.js';
import { formatMinor } from '../../domain/money.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { successRate } from './render.js';
import { dailyStatsQuery } from './schemas.js';

export const statsRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/stats/daily',
    documented({
      summary: 'Refunds, cancels, voids and webhook attempts per local day',
      description:
        'Every day from `from` to `to` (inclusive, at most 366) of the time zone `tz`, zeros ' +
        'included; a day runs from its first local instant to the next one, so across a ' +
        'daylight-saving change it lasts 23 or 25 hours. Counts are approved ledger rows ' +
        '(a cancel that releases a reservation also writes a void row) and delivery attempts ' +
        'by start time (succeeded = answered 2xx). Refunded amounts are sums over any number ' +
        'of refunds, so `amount_minor` (minor units) and `amount` (the decimal) are strings: ' +
        'exact at any size.',
      tag: 'Stats',
      query: dailyStatsQuery,
    }),
    async (request) => {
      const q = parseOrThrow(dailyStatsQuery, request.query);
      // The schema has checked both dates and the zone; these cannot be null here.
      const timeZone = canonicalTimeZone(q.tz)!;
      const days = await dailyStats(deps, {
        timeZone,
        fromDay: epochDay(q.from)!,
        toDay: epochDay(q.to)!,
        ...(q.merchant_id === undefined ? {} : { merchantId: q.merchant_id }),
      });
      return {
        tz: timeZone,
        days: days.map((d) => ({
          date: d.date,
          refunds: {
            count: d.refunds.count,
            // Sums over any number of refunds: decimal strings, exact at any size (a JSON
            // number past 2^53 would reach clients rounded).
            amounts: d.refunds.amounts.map((a) => ({
              currency: a.currency,
              amount_minor: a.amountMinor.toString(),
              amount: formatMinor(a.amountMinor, a.currency),
            })),
          },
          cancels: { count: d.cancels.count },
          voids: { count: d.voids.count },
          webhooks: {
            attempts: d.webhooks.attempts,
            succeeded: d.webhooks.succeeded,
            failed: d.webhooks.attempts - d.webhooks.succeeded,
            success_rate: successRate(d.webhooks.succeeded, d.webhooks.attempts),
          },
        })),
      };
    },
  );
};
