/**
 * An order's timeline: ledger rows (a declined card payment with the issuer's code and message),
 * refund requests, events, webhook deliveries (the receiver's answer and the stored excerpt of its
 * body; no next attempt claimed for a paused endpoint or in the past) and admin actions.
 */
import { replayDelivery } from '../admin.js';
import { announce, Badge, ConfirmDialog, Facts, Table } from '../components.js';
import { formatInstant, formatNumber } from '../format.js';
import { codeLabel, type Translate, useI18n } from '../i18n.js';
import type { AttemptJson, DeliveryJson, HistoryEntryJson } from '../types.js';

import {
  AdminActionEntry,
  type EndpointInfo,
  EventEntry,
  RefundRequestEntry,
  TransactionEntry,
} from './timeline-entries.js';

export { type EndpointInfo, issuerAnswer, notApproved } from './timeline-entries.js';

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

export function TimelineEntry(props: {
  entry: HistoryEntryJson;
  offsetMs: number;
  endpoints: ReadonlyMap<string, EndpointInfo>;
  onReplay: (delivery: DeliveryJson) => void;
}) {
  const { lang } = useI18n();
  const { entry } = props;
  const when = (
    <time dateTime={entry.at} class="when">
      {formatInstant(entry.at, lang)}
    </time>
  );
  switch (entry.kind) {
    case 'transaction':
      return <TransactionEntry tx={entry.transaction} when={when} />;
    case 'refund_request':
      return (
        <RefundRequestEntry request={entry.refund_request} when={when} offsetMs={props.offsetMs} />
      );
    case 'event':
      return <EventEntry event={entry.event} when={when} />;
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
    case 'admin_action':
      return (
        <AdminActionEntry action={entry.admin_action} when={when} endpoints={props.endpoints} />
      );
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
