/**
 * An order's timeline: ledger rows (a declined card payment with the issuer's code and message),
 * refund requests, events, webhook deliveries (the receiver's answer and the stored excerpt of its
 * body; no next attempt claimed for a paused endpoint or in the past) and admin actions.
 */
import { LOCK_TIME_ZONE } from '../../domain/business-days.js';
import { replayDelivery } from '../admin.js';
import { announce, Badge, ConfirmDialog, Countdown, Facts, Table } from '../components.js';
import { formatInstant, formatMoney, formatNumber } from '../format.js';
import { actorText, codeLabel, type Translate, useI18n } from '../i18n.js';
import type { AttemptJson, DeliveryJson, HistoryEntryJson, TransactionJson } from '../types.js';

/** What the timeline knows of an endpoint: its name and whether it is enabled. */
export interface EndpointInfo {
  readonly name: string;
  readonly enabled: boolean;
}

export const entryKey = (e: HistoryEntryJson): string => {
  switch (e.kind) {
    case 'transaction':
      return `t:${e.transaction.id}`;
    case 'refund_request':
      return `r:${e.refund_request.id}`;
    case 'event':
      return `e:${e.event.id}`;
    case 'delivery':
      return `d:${e.delivery.id}`;
    case 'admin_action':
      return `a:${e.admin_action.id}`;
  }
};

/** A row the issuer or scheme did not approve: declined, timed out or failed in processing. */
export const notApproved = (tx: TransactionJson) =>
  tx.status === 'failed' || tx.status === 'timeout' || tx.status === 'system_error';

/** The issuer's answer as one line: "05 · DO NOT HONOUR". */
export const issuerAnswer = (tx: TransactionJson): string | null =>
  [tx.response_code, tx.response_message].filter((x) => x).join(' · ') || null;

/** A status change "captured → refunded" in words. */
const change = (t: Translate, before: string | null, after: string | null) =>
  `${before ? codeLabel(t, 'status', before) : '—'} → ${after ? codeLabel(t, 'status', after) : '—'}`;

export function TimelineEntry(props: {
  entry: HistoryEntryJson;
  offsetMs: number;
  endpoints: ReadonlyMap<string, EndpointInfo>;
  onReplay: (delivery: DeliveryJson) => void;
}) {
  const { t, lang } = useI18n();
  const { entry } = props;
  const when = (
    <time dateTime={entry.at} class="when">
      {formatInstant(entry.at, lang)}
    </time>
  );
  switch (entry.kind) {
    case 'transaction': {
      const tx = entry.transaction;
      const answer = issuerAnswer(tx);
      return (
        <li class="entry entry-transaction" data-transaction-status={tx.status}>
          {when}
          <h3>{t('timeline.transaction', { type: codeLabel(t, 'tx', tx.type) })}</h3>
          <Facts
            items={[
              [t('timeline.status'), <Badge status={tx.status} />],
              [t('timeline.amount'), formatMoney(tx.amount_minor, tx.currency, lang)],
              ...(tx.points
                ? [[t('timeline.points'), formatNumber(tx.points, lang)] as const]
                : []),
              ...(answer && (notApproved(tx) || tx.response_code)
                ? [[t('timeline.issuerAnswer'), <bdi dir="ltr">{answer}</bdi>] as const]
                : []),
              [t('timeline.actor'), actorText(t, tx.actor)],
              ...(tx.reason ? [[t('timeline.reason'), tx.reason] as const] : []),
            ]}
          />
        </li>
      );
    }
    case 'refund_request': {
      const r = entry.refund_request;
      const lockedMs = r.locked_at === null ? null : Date.parse(r.locked_at);
      return (
        <li class="entry entry-refund-request">
          {when}
          <h3>{t('timeline.refundRequest')}</h3>
          <Facts
            items={[
              [t('timeline.status'), <Badge status={r.status} />],
              [t('timeline.amount'), formatMoney(r.amount_minor, r.currency, lang)],
              [t('timeline.lockedAt'), formatInstant(r.locked_at, lang)],
              [t('timeline.lockedAtChicago'), formatInstant(r.locked_at, lang, LOCK_TIME_ZONE)],
              ...(lockedMs !== null && r.status === 'draft'
                ? [
                    [
                      t('timeline.locksIn'),
                      <Countdown targetMs={lockedMs} offsetMs={props.offsetMs} />,
                    ] as const,
                  ]
                : []),
              ...(r.settle_at
                ? [[t('timeline.settleAt'), formatInstant(r.settle_at, lang)] as const]
                : []),
              ...(r.decline_reason
                ? [
                    [
                      t('timeline.declineReason'),
                      codeLabel(t, 'decline', r.decline_reason),
                    ] as const,
                  ]
                : []),
            ]}
          />
        </li>
      );
    }
    case 'event': {
      const ev = entry.event;
      return (
        <li class="entry entry-event">
          {when}
          <h3>{t('timeline.event', { type: codeLabel(t, 'event', ev.type) })}</h3>
          <Facts
            items={[
              [t('timeline.actor'), actorText(t, ev.actor)],
              [t('timeline.reason'), ev.reason ?? '—'],
              [t('timeline.change'), change(t, ev.status_before, ev.status_after)],
            ]}
          />
        </li>
      );
    }
    case 'delivery':
      return (
        <li class="entry entry-delivery" data-delivery-id={entry.delivery.id}>
          {when}
          <DeliveryDetails
            delivery={entry.delivery}
            endpoint={props.endpoints.get(entry.delivery.endpoint_id)}
            offsetMs={props.offsetMs}
            onReplay={props.onReplay}
          />
        </li>
      );
    case 'admin_action': {
      const a = entry.admin_action;
      // An order's actions are replays of its deliveries: the details name what was sent where.
      const text = (key: string) => {
        const value = a.details[key];
        return typeof value === 'string' ? value : null;
      };
      const endpointId = text('endpoint_id');
      const eventType = text('event_type');
      return (
        <li class="entry entry-admin-action" data-admin-action-id={a.id}>
          {when}
          <h3>{t('timeline.adminAction', { action: codeLabel(t, 'action', a.action) })}</h3>
          <Facts
            items={[
              [t('timeline.actor'), actorText(t, a.actor)],
              [t('timeline.reason'), a.reason ?? '—'],
              ...(eventType
                ? [[t('timeline.webhook'), codeLabel(t, 'event', eventType)] as const]
                : []),
              ...(endpointId
                ? [
                    [
                      t('timeline.endpoint'),
                      props.endpoints.get(endpointId)?.name ?? endpointId,
                    ] as const,
                  ]
                : []),
            ]}
          />
        </li>
      );
    }
  }
}

export const replayable = (d: DeliveryJson) => d.status === 'dead' || d.status === 'delivered';

/**
 * Whether the order page should ask again: a delivery is pending on an endpoint that is enabled
 * (or not known to be disabled). A paused endpoint's deliveries wait for a person, not a poll.
 */
export const awaitingDelivery = (
  entries: readonly HistoryEntryJson[],
  endpoints: ReadonlyMap<string, EndpointInfo>,
): boolean =>
  entries.some(
    (e) =>
      e.kind === 'delivery' &&
      e.delivery.status === 'pending' &&
      endpoints.get(e.delivery.endpoint_id)?.enabled !== false,
  );

/** Confirms and sends a delivery again; the order page and the webhooks pages share it. */
export function ReplayDialog(props: {
  delivery: DeliveryJson;
  onClose: () => void;
  onDone: () => unknown;
}) {
  const { t } = useI18n();
  const { delivery } = props;
  const type = codeLabel(t, 'event', delivery.event_type);
  return (
    <ConfirmDialog
      title={t('replay.title')}
      description={t('replay.text', { type })}
      confirmLabel={t('replay.confirm')}
      dismissLabel={t('replay.keep')}
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        await replayDelivery(delivery.id, reason, keyFor({ replay: delivery.id, reason }));
        announce(t('replay.done', { type }));
        await props.onDone();
      }}
    />
  );
}

/** When the next attempt happens, as truthfully as the page knows it. */
function nextAttempt(
  t: Translate,
  lang: 'en' | 'ar',
  d: DeliveryJson,
  endpoint: EndpointInfo | undefined,
  offsetMs: number,
): string | null {
  if (d.status !== 'pending') return null;
  if (endpoint?.enabled === false) return t('timeline.pausedDisabled');
  if (!d.next_attempt_at) return null;
  // A time already past is due: the sender takes it on its next round, not "at" that time.
  return Date.parse(d.next_attempt_at) <= Date.now() + offsetMs
    ? t('timeline.dueNow')
    : formatInstant(d.next_attempt_at, lang);
}

function DeliveryDetails(props: {
  delivery: DeliveryJson;
  endpoint: EndpointInfo | undefined;
  offsetMs: number;
  onReplay: (delivery: DeliveryJson) => void;
}) {
  const { t, lang } = useI18n();
  const d = props.delivery;
  const next = nextAttempt(t, lang, d, props.endpoint, props.offsetMs);
  const last = [d.last_status_code, d.last_error].filter((x) => x !== null).join(' · ');
  return (
    <>
      <h3>{t('timeline.delivery', { type: codeLabel(t, 'event', d.event_type) })}</h3>
      <Facts
        items={[
          [t('timeline.endpoint'), props.endpoint?.name ?? d.endpoint_id],
          [t('timeline.status'), <Badge status={d.status} />],
          ...(last ? [[t('timeline.receiverAnswer'), <bdi dir="ltr">{last}</bdi>] as const] : []),
          ...(next ? [[t('timeline.nextAttempt'), next] as const] : []),
        ]}
      />
      <Table<AttemptJson>
        caption={t('timeline.attempts')}
        rows={d.attempt_log ?? []}
        rowKey={(a) => String(a.attempt)}
        empty={t('timeline.noAttempts')}
        columns={[
          {
            label: t('timeline.attempt'),
            primary: true,
            render: (a) => t('timeline.attemptN', { n: formatNumber(a.attempt, lang) }),
          },
          { label: t('timeline.startedAt'), render: (a) => formatInstant(a.started_at, lang) },
          { label: t('timeline.statusCode'), render: (a) => a.status_code ?? '—' },
          { label: t('timeline.error'), render: (a) => a.error ?? '—' },
          {
            label: t('timeline.responseExcerpt'),
            render: (a) =>
              a.response_excerpt ? (
                <code class="excerpt" dir="ltr">
                  {a.response_excerpt}
                </code>
              ) : (
                '—'
              ),
          },
          {
            label: t('timeline.duration'),
            render: (a) =>
              a.duration_ms === null
                ? '—'
                : t('timeline.durationMs', { ms: formatNumber(a.duration_ms, lang) }),
          },
        ]}
      />
      {replayable(d) && (
        <button type="button" onClick={() => props.onReplay(d)}>
          {t('replay.button')}
        </button>
      )}
    </>
  );
}
