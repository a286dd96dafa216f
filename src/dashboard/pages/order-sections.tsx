/**
 * The parts of an order's page (src/dashboard/pages/order.tsx): its status, its facts, the
 * operator's actions, the timeline, and the dialog an action opens.
 */
import { backdRequestActions, operatorMayOffer } from '../../domain/operator-operations.js';
import { cancelOrder } from '../admin.js';
import { announce, Badge, ConfirmDialog, Facts, Id } from '../components.js';
import { formatInstant, formatMoney, formatNumber } from '../format.js';
import { codeLabel, useI18n } from '../i18n.js';
import type {
  DeliveryJson,
  HistoryJson,
  OrderJson,
  RefundRequestJson,
  TransactionJson,
} from '../types.js';
import { RequestRefundDialog, WithdrawRequestDialog } from './backd-refunds.js';
import { RefundDialog } from './refunds.js';
import {
  type EndpointInfo,
  entryKey,
  issuerAnswer,
  notApproved,
  ReplayDialog,
  TimelineEntry,
} from './timeline.js';

export type Dialog =
  | { kind: 'cancel' }
  | { kind: 'refund' }
  | { kind: 'request' }
  | { kind: 'withdraw'; request: RefundRequestJson }
  | { kind: 'replay'; delivery: DeliveryJson }
  | null;

/**
 * What the operator may do to the order, and what the page says of it. Only what the order's
 * face allows (src/domain/operator-operations.ts): a Backd order is refunded through refund
 * requests, never with the plain refund.
 */
export function orderOffers(history: HistoryJson) {
  const order = history.order;
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
  const requests = backd
    ? backdRequestActions(backd.status, order.refundable_minor, active)
    : { submit: false, withdraw: false };
  return { active, cancellable, refundable, declined, requests };
}

export function OrderStatus(props: { history: HistoryJson; declined: TransactionJson | null }) {
  const { t } = useI18n();
  const order = props.history.order;
  const backd = props.history.backd;
  const declined = props.declined;
  return (
    <>
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
    </>
  );
}

export function OrderFacts(props: { history: HistoryJson; merchantName: string | undefined }) {
  const { t, lang } = useI18n();
  const order = props.history.order;
  const money = (minor: number) => formatMoney(minor, order.currency, lang);
  const phone = order.customer_phone ?? props.history.backd?.customer_phone ?? null;
  return (
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
            [t('order.merchant'), props.merchantName ?? order.merchant_id],
            [t('order.face'), t(`face.${order.dialect}`)],
            [t('order.kind'), codeLabel(t, 'kind', order.kind)],
            [t('order.createdAt'), formatInstant(order.created_at, lang)],
          ]}
        />
      </section>
    </div>
  );
}

export function OrderActions(props: {
  offers: ReturnType<typeof orderOffers>;
  onDialog: (dialog: Dialog) => void;
}) {
  const { t } = useI18n();
  const { cancellable, refundable, requests, active } = props.offers;
  const setDialog = props.onDialog;
  return (
    <>
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
    </>
  );
}

export function OrderTimeline(props: {
  history: HistoryJson;
  pending: boolean;
  offsetMs: number;
  endpointInfo: ReadonlyMap<string, EndpointInfo>;
  onReplay: (delivery: DeliveryJson) => void;
}) {
  const { t } = useI18n();
  const { history, pending, offsetMs, endpointInfo } = props;
  return (
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
              onReplay={props.onReplay}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

export function OrderDialogs(props: {
  dialog: Dialog;
  order: OrderJson;
  orderRef: string;
  active: RefundRequestJson | null;
  onClose: () => void;
  refresh: () => Promise<void>;
}) {
  const { t } = useI18n();
  const { dialog, order, active, refresh } = props;
  const ref = props.orderRef;
  return (
    <>
      {dialog?.kind === 'cancel' && (
        <ConfirmDialog
          title={t('cancel.title', { ref })}
          description={t('cancel.text')}
          confirmLabel={t('cancel.confirm')}
          dismissLabel={t('common.keepOrder')}
          danger
          onClose={props.onClose}
          onConfirm={async ({ reason, keyFor }) => {
            await cancelOrder(order.id, reason, keyFor({ cancel: order.id, reason }));
            announce(t('cancel.done', { ref }));
            await refresh();
          }}
        />
      )}
      {dialog?.kind === 'refund' && (
        <RefundDialog order={order} orderRef={ref} onClose={props.onClose} onDone={refresh} />
      )}
      {dialog?.kind === 'request' && (
        <RequestRefundDialog
          order={order}
          active={active}
          orderRef={ref}
          onClose={props.onClose}
          onDone={refresh}
        />
      )}
      {dialog?.kind === 'withdraw' && (
        <WithdrawRequestDialog
          order={order}
          request={dialog.request}
          onClose={props.onClose}
          onDone={refresh}
        />
      )}
      {dialog?.kind === 'replay' && (
        <ReplayDialog delivery={dialog.delivery} onClose={props.onClose} onDone={refresh} />
      )}
    </>
  );
}
