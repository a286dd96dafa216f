/** The entries of an order's timeline (src/dashboard/pages/timeline.tsx), one kind each. */
import type { JSX } from 'preact';
import { LOCK_TIME_ZONE } from '../../domain/business-days.js';
import { Badge, Countdown, Facts } from '../components.js';
import { formatInstant, formatMoney, formatNumber } from '../format.js';
import { actorText, codeLabel, type Translate, useI18n } from '../i18n.js';
import type { AdminActionJson, EventJson, RefundRequestJson, TransactionJson } from '../types.js';

/** What the timeline knows of an endpoint: its name and whether it is enabled. */
export interface EndpointInfo {
  readonly name: string;
  readonly enabled: boolean;
}

/** A row the issuer or scheme did not approve: declined, timed out or failed in processing. */
export const notApproved = (tx: TransactionJson) =>
  tx.status === 'failed' || tx.status === 'timeout' || tx.status === 'system_error';

/** The issuer's answer as one line: "05 · DO NOT HONOUR". */
export const issuerAnswer = (tx: TransactionJson): string | null =>
  [tx.response_code, tx.response_message].filter((x) => x).join(' · ') || null;

/** A status change "captured → refunded" in words. */
const change = (t: Translate, before: string | null, after: string | null) =>
  `${before ? codeLabel(t, 'status', before) : '—'} → ${after ? codeLabel(t, 'status', after) : '—'}`;

export function TransactionEntry(props: { tx: TransactionJson; when: JSX.Element }) {
  const { t, lang } = useI18n();
  const tx = props.tx;
  const answer = issuerAnswer(tx);
  return (
    <li class="entry entry-transaction" data-transaction-status={tx.status}>
      {props.when}
      <h3>{t('timeline.transaction', { type: codeLabel(t, 'tx', tx.type) })}</h3>
      <Facts
        items={[
          [t('timeline.status'), <Badge status={tx.status} />],
          [t('timeline.amount'), formatMoney(tx.amount_minor, tx.currency, lang)],
          ...(tx.points ? [[t('timeline.points'), formatNumber(tx.points, lang)] as const] : []),
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

export function RefundRequestEntry(props: {
  request: RefundRequestJson;
  when: JSX.Element;
  offsetMs: number;
}) {
  const { t, lang } = useI18n();
  const r = props.request;
  const lockedMs = r.locked_at === null ? null : Date.parse(r.locked_at);
  return (
    <li class="entry entry-refund-request">
      {props.when}
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
            ? [[t('timeline.declineReason'), codeLabel(t, 'decline', r.decline_reason)] as const]
            : []),
        ]}
      />
    </li>
  );
}

export function EventEntry(props: { event: EventJson; when: JSX.Element }) {
  const { t } = useI18n();
  const ev = props.event;
  return (
    <li class="entry entry-event">
      {props.when}
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

export function AdminActionEntry(props: {
  action: AdminActionJson;
  when: JSX.Element;
  endpoints: ReadonlyMap<string, EndpointInfo>;
}) {
  const { t } = useI18n();
  const a = props.action;
  // An order's actions are replays of its deliveries: the details name what was sent where.
  const text = (key: string) => {
    const value = a.details[key];
    return typeof value === 'string' ? value : null;
  };
  const endpointId = text('endpoint_id');
  const eventType = text('event_type');
  return (
    <li class="entry entry-admin-action" data-admin-action-id={a.id}>
      {props.when}
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
