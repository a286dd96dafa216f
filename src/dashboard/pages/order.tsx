/**
 * One order: its amounts and points, a Backd order's own state, its whole history as a timeline,
 * and the operator's actions the order's face allows (cancel, refund, or for a Backd order a
 * refund request; replay a delivery), each confirmed with a reason.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { backdRequestActions, operatorMayOffer } from '../../domain/operator-operations.js';
import {
  cancelOrder,
  getClock,
  listWebhooks,
  merchantsOnce,
  orderHistory,
  replayDelivery,
} from '../admin.js';
import {
  type ActionError,
  announce,
  Badge,
  ConfirmDialog,
  Countdown,
  ErrorText,
  Facts,
  Link,
  PageTitle,
  Table,
  toActionError,
  useLoad,
} from '../components.js';
import { LOCK_TIME_ZONE } from '../../domain/business-days.js';
import { formatInstant, formatMoney, formatNumber } from '../format.js';
import { codeLabel, useI18n } from '../i18n.js';
import { href } from '../router.js';
import type {
  AttemptJson,
  DeliveryJson,
  HistoryEntryJson,
  HistoryJson,
  OrderJson,
  RefundRequestJson,
} from '../types.js';
import { BackdCard, RequestRefundDialog, WithdrawRequestDialog } from './backd-refunds.js';
import { RefundDialog } from './refunds.js';

/** How often the page asks again while a webhook delivery is still pending. */
const POLL_MS = 2000;

export const orderRef = (o: OrderJson) => o.order_number ?? o.merchant_order_id ?? o.id;

type Dialog =
  | { kind: 'cancel' }
  | { kind: 'refund' }
  | { kind: 'request' }
  | { kind: 'withdraw'; request: RefundRequestJson }
  | { kind: 'replay'; delivery: DeliveryJson }
  | null;

export function OrderPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [history, setHistory] = useState<HistoryJson | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  // Server clock minus browser clock, so countdowns run on the server's time.
  const [offsetMs, setOffsetMs] = useState(0);
  const [polls, setPolls] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const merchants = useLoad(() => merchantsOnce(), []);
  const merchantId = history?.order.merchant_id;
  // Endpoint names for the deliveries; the health window does not matter here.
  const endpoints = useLoad(
    () => (merchantId ? listWebhooks(merchantId, 1).then((r) => r.data) : Promise.resolve([])),
    [merchantId],
  );
  const endpointNames = new Map((endpoints.data ?? []).map((e) => [e.id, e.name ?? e.url]));

  const refresh = useCallback(async () => {
    try {
      const sent = Date.now();
      const [h, clock] = await Promise.all([orderHistory(id), getClock()]);
      setOffsetMs(Date.parse(clock.now) - (sent + Date.now()) / 2);
      setHistory(h);
      setError(null);
    } catch (e) {
      setError(toActionError(e));
    }
  }, [id]);

  useEffect(() => {
    setHistory(null);
    void refresh();
  }, [refresh]);

  const pending =
    history?.entries.some((e) => e.kind === 'delivery' && e.delivery.status === 'pending') ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => {
      void refresh().then(() => setPolls((n) => n + 1));
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [pending, polls, refresh]);

  if (!history) {
    return (
      <>
        <PageTitle>{t('order.title', { ref: id })}</PageTitle>
        <ErrorText error={error} />
        {!error && <p aria-busy="true">{t('app.loading')}</p>}
      </>
    );
  }
  const order = history.order;
  const ref = orderRef(order);
  const money = (minor: number) => formatMoney(minor, order.currency, lang);
  const merchant = merchants.data?.find((m) => m.id === order.merchant_id);
  // Only what the order's face allows (src/domain/operator-operations.ts): a Backd order is
  // refunded through refund requests, never with the plain refund.
  const backd = history.backd;
  const active = backd?.active_refund_request ?? null;
  const offered = {
    dialect: order.dialect,
    kind: order.kind,
    status: order.status,
    amountMinor: order.amount_minor,
    captureMethod: order.capture_method,
    refundableMinor: order.refundable_minor,
    backdStatus: backd?.status ?? null,
  };
  const cancellable = operatorMayOffer('cancel', offered);
  const refundable = operatorMayOffer('refund', offered);
  const requests = backd
    ? backdRequestActions(backd.status, order.refundable_minor, active)
    : { submit: false, withdraw: false };

  return (
    <>
      <p class="breadcrumb">
        <Link href={href('/orders')}>{t('order.back')}</Link>
      </p>
      <PageTitle>{t('order.title', { ref })}</PageTitle>
      <p class="order-status">
        <Badge status={order.status} />
      </p>
      <ErrorText error={error} />

      <div class="order-grid">
        <section aria-labelledby="amounts-title" class="card">
          <h2 id="amounts-title">{t('order.amounts')}</h2>
          <Facts
            items={[
              [t('order.amount'), money(order.amount_minor)],
              [t('order.captured'), money(order.captured_minor)],
              [t('order.refunded'), money(order.refunded_minor)],
              [t('order.voided'), money(order.voided_minor)],
              [t('order.refundable'), money(order.refundable_minor)],
            ]}
          />
        </section>
        <section aria-labelledby="points-title" class="card">
          <h2 id="points-title">{t('order.points')}</h2>
          <Facts
            items={[
              [t('order.earned'), formatNumber(order.total_points, lang)],
              [t('order.redeemed'), formatNumber(order.redeemed_points, lang)],
              [t('order.reversed'), formatNumber(order.points_reversed, lang)],
              [t('order.returned'), formatNumber(order.points_returned, lang)],
            ]}
          />
        </section>
        <section aria-labelledby="details-title" class="card">
          <h2 id="details-title">{t('order.details')}</h2>
          <Facts
            items={[
              [t('order.id'), <code>{order.id}</code>],
              [t('order.orderNumber'), order.order_number ?? '—'],
              [t('order.merchantOrderId'), order.merchant_order_id ?? '—'],
              [t('order.backdOrderId'), order.backd_order_id ?? '—'],
              [t('order.merchant'), merchant?.name ?? order.merchant_id],
              [t('order.face'), t(`face.${order.dialect}`)],
              [t('order.kind'), order.kind],
              [t('order.createdAt'), formatInstant(order.created_at, lang)],
            ]}
          />
        </section>
      </div>

      {backd && <BackdCard backd={backd} offsetMs={offsetMs} />}

      {(cancellable || refundable || requests.submit || requests.withdraw) && (
        <section aria-labelledby="actions-title" class="actions-bar">
          <h2 id="actions-title">{t('order.actions')}</h2>
          {refundable && (
            <button type="button" class="primary" onClick={() => setDialog({ kind: 'refund' })}>
              {t('order.refund')}
            </button>
          )}
          {requests.submit && (
            <button type="button" class="primary" onClick={() => setDialog({ kind: 'request' })}>
              {t('backd.requestRefund')}
            </button>
          )}
          {requests.withdraw && active && (
            <button
              type="button"
              class="danger"
              onClick={() => setDialog({ kind: 'withdraw', request: active })}
            >
              {t('backd.withdraw')}
            </button>
          )}
          {cancellable && (
            <button type="button" class="danger" onClick={() => setDialog({ kind: 'cancel' })}>
              {t('order.cancel')}
            </button>
          )}
        </section>
      )}

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('order.timeline')}</h2>
        {pending && <p class="muted">{t('order.polling')}</p>}
        {history.entries.length === 0 ? (
          <p class="empty">{t('order.timelineEmpty')}</p>
        ) : (
          <ol class="timeline">
            {history.entries.map((entry) => (
              <TimelineEntry
                key={entryKey(entry)}
                entry={entry}
                offsetMs={offsetMs}
                endpointNames={endpointNames}
                onReplay={(delivery) => setDialog({ kind: 'replay', delivery })}
              />
            ))}
          </ol>
        )}
      </section>

      {dialog?.kind === 'cancel' && (
        <ConfirmDialog
          title={t('cancel.title', { ref })}
          description={t('cancel.text')}
          confirmLabel={t('cancel.confirm')}
          danger
          onClose={() => setDialog(null)}
          onConfirm={async ({ reason, keyFor }) => {
            await cancelOrder(order.id, reason, keyFor({ cancel: order.id, reason }));
            announce(t('cancel.done', { ref }));
            await refresh();
          }}
        />
      )}
      {dialog?.kind === 'refund' && (
        <RefundDialog
          order={order}
          orderRef={ref}
          onClose={() => setDialog(null)}
          onDone={refresh}
        />
      )}
      {dialog?.kind === 'request' && (
        <RequestRefundDialog
          order={order}
          active={active}
          orderRef={ref}
          onClose={() => setDialog(null)}
          onDone={refresh}
        />
      )}
      {dialog?.kind === 'withdraw' && (
        <WithdrawRequestDialog
          order={order}
          request={dialog.request}
          onClose={() => setDialog(null)}
          onDone={refresh}
        />
      )}
      {dialog?.kind === 'replay' && (
        <ReplayDialog delivery={dialog.delivery} onClose={() => setDialog(null)} onDone={refresh} />
      )}
    </>
  );
}

const entryKey = (e: HistoryEntryJson): string => {
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

function TimelineEntry(props: {
  entry: HistoryEntryJson;
  offsetMs: number;
  endpointNames: ReadonlyMap<string, string>;
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
      return (
        <li class="entry entry-transaction">
          {when}
          <h3>{t('timeline.transaction', { type: tx.type })}</h3>
          <Facts
            items={[
              [t('timeline.status'), <Badge status={tx.status} />],
              [t('timeline.amount'), formatMoney(tx.amount_minor, tx.currency, lang)],
              ...(tx.points
                ? [[t('timeline.points'), formatNumber(tx.points, lang)] as const]
                : []),
              [t('timeline.actor'), tx.actor],
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
                ? [[t('timeline.declineReason'), r.decline_reason] as const]
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
          <h3>{t('timeline.event', { type: ev.type })}</h3>
          <Facts
            items={[
              [t('timeline.actor'), ev.actor],
              [t('timeline.reason'), ev.reason ?? '—'],
              [
                t('timeline.change'),
                <span dir="ltr">{`${ev.status_before ?? '—'} → ${ev.status_after ?? '—'}`}</span>,
              ],
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
            endpointName={props.endpointNames.get(entry.delivery.endpoint_id)}
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
              [t('timeline.actor'), a.actor],
              [t('timeline.reason'), a.reason ?? '—'],
              ...(eventType ? [[t('timeline.webhook'), eventType] as const] : []),
              ...(endpointId
                ? [
                    [
                      t('timeline.endpoint'),
                      props.endpointNames.get(endpointId) ?? endpointId,
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

/** Confirms and sends a delivery again; the order page and the webhooks page share it. */
export function ReplayDialog(props: {
  delivery: DeliveryJson;
  onClose: () => void;
  onDone: () => unknown;
}) {
  const { t } = useI18n();
  const { delivery } = props;
  return (
    <ConfirmDialog
      title={t('replay.title')}
      description={t('replay.text', { type: delivery.event_type })}
      confirmLabel={t('replay.confirm')}
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        await replayDelivery(delivery.id, reason, keyFor({ replay: delivery.id, reason }));
        announce(t('replay.done', { type: delivery.event_type }));
        await props.onDone();
      }}
    />
  );
}

function DeliveryDetails(props: {
  delivery: DeliveryJson;
  endpointName: string | undefined;
  onReplay: (delivery: DeliveryJson) => void;
}) {
  const { t, lang } = useI18n();
  const d = props.delivery;
  return (
    <>
      <h3>{t('timeline.delivery', { type: d.event_type })}</h3>
      <Facts
        items={[
          [t('timeline.endpoint'), props.endpointName ?? d.endpoint_id],
          [t('timeline.status'), <Badge status={d.status} />],
          ...(d.status === 'pending' && d.next_attempt_at
            ? [[t('timeline.nextAttempt'), formatInstant(d.next_attempt_at, lang)] as const]
            : []),
        ]}
      />
      <Table<AttemptJson>
        caption={t('timeline.attempts')}
        rows={d.attempt_log ?? []}
        rowKey={(a) => String(a.attempt)}
        empty={t('timeline.noAttempts')}
        columns={[
          { label: t('timeline.attempt'), primary: true, render: (a) => `#${a.attempt}` },
          { label: t('timeline.startedAt'), render: (a) => formatInstant(a.started_at, lang) },
          { label: t('timeline.statusCode'), render: (a) => a.status_code ?? '—' },
          { label: t('timeline.error'), render: (a) => a.error ?? '—' },
          {
            label: t('timeline.duration'),
            render: (a) =>
              a.duration_ms === null ? '—' : t('timeline.durationMs', { ms: a.duration_ms }),
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
