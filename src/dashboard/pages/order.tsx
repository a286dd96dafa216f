/**
 * One order: its amounts and points, a Backd order's own state, its whole history as a timeline,
 * and the operator's actions the order's face allows (cancel, refund, or for a Backd order a
 * refund request; replay a delivery), each confirmed with a reason.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { backdRequestActions, operatorMayOffer } from '../../domain/operator-operations.js';
import { cancelOrder, getClock, listWebhooks, merchantsOnce, orderHistory } from '../admin.js';
import {
  type ActionError,
  announce,
  Badge,
  ConfirmDialog,
  ErrorText,
  Facts,
  Id,
  Link,
  PageTitle,
  toActionError,
  useLoad,
} from '../components.js';
import { formatInstant, formatMoney, formatNumber } from '../format.js';
import { codeLabel, useI18n } from '../i18n.js';
import { href } from '../router.js';
import type { DeliveryJson, HistoryJson, OrderJson, RefundRequestJson } from '../types.js';
import { BackdCard, RequestRefundDialog, WithdrawRequestDialog } from './backd-refunds.js';
import { RefundDialog } from './refunds.js';
import {
  awaitingDelivery,
  type EndpointInfo,
  entryKey,
  issuerAnswer,
  notApproved,
  ReplayDialog,
  TimelineEntry,
} from './timeline.js';

/** How often the page asks again while a webhook delivery is still pending. */
const POLL_MS = 2000;
/** Polls stop after this many in a row, so a page left open does not ask forever. */
const MAX_POLLS = 150;

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
  const endpointInfo = new Map<string, EndpointInfo>(
    (endpoints.data ?? []).map((e) => [e.id, { name: e.name ?? e.url, enabled: e.enabled }]),
  );

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

  // Only what can still change by itself: a delivery pending on an endpoint that is enabled.
  const pending = history ? awaitingDelivery(history.entries, endpointInfo) : false;
  useEffect(() => {
    if (!pending || polls >= MAX_POLLS) return;
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
  // A card payment the issuer declined: nothing moved, and the page says so with its answer.
  const lastPayment = history.entries
    .flatMap((e) => (e.kind === 'transaction' ? [e.transaction] : []))
    .filter((tx) => ['purchase', 'authorize', 'verify'].includes(tx.type))
    .at(-1);
  const declined =
    order.status === 'pending' && lastPayment && notApproved(lastPayment) ? lastPayment : null;
  const phone = order.customer_phone ?? backd?.customer_phone ?? null;
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
        {declined ? <Badge status="declined" /> : <Badge status={order.status} />}
        {backd && (
          <span class="backd-status">
            {t('backd.status')}: <Badge status={backd.status} />
          </span>
        )}
      </p>
      {declined && (
        <p class="notice" role="status" data-declined>
          {/* The issuer's Latin answer isolated (FSI … PDI), so it reads whole in Arabic too. */}
          {t('order.declined', { answer: `\u2068${issuerAnswer(declined) ?? '—'}\u2069` })}
        </p>
      )}
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
        {order.dialect === 'points' && (
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
        )}
        <section aria-labelledby="details-title" class="card">
          <h2 id="details-title">{t('order.details')}</h2>
          <Facts
            items={[
              [t('order.id'), <Id value={order.id} />],
              [t('order.orderNumber'), order.order_number ?? '—'],
              [t('order.merchantOrderId'), order.merchant_order_id ?? '—'],
              [t('order.backdOrderId'), order.backd_order_id ?? '—'],
              ...(phone ? [[t('order.phone'), <bdi dir="ltr">{phone}</bdi>] as const] : []),
              [t('order.merchant'), merchant?.name ?? order.merchant_id],
              [t('order.face'), t(`face.${order.dialect}`)],
              [t('order.kind'), codeLabel(t, 'kind', order.kind)],
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
                endpoints={endpointInfo}
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
          dismissLabel={t('common.keepOrder')}
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
