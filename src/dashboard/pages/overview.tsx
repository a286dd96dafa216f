/** At a glance: refunds and cancels per day and the webhook success rate, the last 30 days. */
import { dailyStats, getClock } from '../admin.js';
import { BarChart, RateChart } from '../charts.js';
import { ErrorText, PageTitle, useLoad } from '../components.js';
import {
  dateInZone,
  formatMoney,
  formatNumber,
  formatPercent,
  minusDays,
  viewerTimeZone,
} from '../format.js';
import { useI18n } from '../i18n.js';
import type { StatsJson } from '../types.js';

const DAYS = 30;

export function Overview() {
  const { t } = useI18n();
  const zone = viewerTimeZone();
  const stats = useLoad(async () => {
    // "Today" is the server's today (the test clock may be anywhere), in the viewer's zone.
    const clock = await getClock();
    const to = dateInZone(Date.parse(clock.now), zone);
    return dailyStats(minusDays(to, DAYS - 1), to, zone);
  }, [zone]);
  return (
    <>
      <PageTitle>{t('overview.title')}</PageTitle>
      {stats.loading && !stats.data && <p aria-busy="true">{t('app.loading')}</p>}
      <ErrorText error={stats.error} />
      {stats.data && <Charts stats={stats.data} />}
    </>
  );
}

/**
 * The refunded amounts by currency. Each day's sum is exact text of any size; their total is
 * added as a bigint, never as a number that would round past 2^53.
 */
function refundTotalsOf(days: StatsJson['days']): Map<string, bigint> {
  const refundTotals = new Map<string, bigint>();
  for (const d of days) {
    for (const a of d.refunds.amounts) {
      refundTotals.set(a.currency, (refundTotals.get(a.currency) ?? 0n) + BigInt(a.amount_minor));
    }
  }
  return refundTotals;
}

function Charts({ stats }: { stats: StatsJson }) {
  const { t, lang } = useI18n();
  const days = stats.days;
  const last = days.at(-1)?.date ?? '';
  const number = (v: number) => formatNumber(v, lang);
  const refunds = days.map((d) => ({ date: d.date, value: d.refunds.count }));
  const cancels = days.map((d) => ({ date: d.date, value: d.cancels.count }));
  const rates = days.map((d) => ({ date: d.date, value: d.webhooks.success_rate }));
  const sum = (xs: readonly { value: number | null }[]) =>
    xs.reduce((a, x) => a + (x.value ?? 0), 0);
  const max = (xs: readonly { value: number | null }[]) =>
    Math.max(0, ...xs.map((x) => x.value ?? 0));
  const attempts = days.reduce((a, d) => a + d.webhooks.attempts, 0);
  const succeeded = days.reduce((a, d) => a + d.webhooks.succeeded, 0);
  const known = rates.flatMap((r) => (r.value === null ? [] : [r.value]));
  const refundTotals = refundTotalsOf(days);
  return (
    <>
      <p>{t('overview.period', { date: last, zone: stats.tz })}</p>
      {refundTotals.size > 0 && (
        <p class="totals">
          {t('overview.refundedTotal', {
            amounts: [...refundTotals]
              .map(([currency, minor]) => formatMoney(minor, currency, lang))
              .join(' · '),
          })}
        </p>
      )}
      <div class="charts">
        <BarChart
          title={t('overview.refunds')}
          summary={t('overview.refundsSummary', {
            total: number(sum(refunds)),
            max: number(max(refunds)),
          })}
          points={refunds}
          valueLabel={t('overview.count')}
          format={number}
        />
        <BarChart
          title={t('overview.cancels')}
          summary={t('overview.cancelsSummary', {
            total: number(sum(cancels)),
            max: number(max(cancels)),
          })}
          points={cancels}
          valueLabel={t('overview.count')}
          format={number}
        />
        <RateChart
          title={t('overview.webhooks')}
          summary={t('overview.webhooksSummary', {
            attempts: number(attempts),
            rate: formatPercent(attempts === 0 ? null : succeeded / attempts, lang),
            min: formatPercent(known.length === 0 ? null : Math.min(...known), lang),
          })}
          points={rates}
          valueLabel={t('overview.rate')}
          format={(v) => formatPercent(v, lang)}
        />
      </div>
    </>
  );
}
