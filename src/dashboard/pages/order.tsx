/**
 * One order: its amounts and points, a Backd order's own state, its whole history as a timeline,
 * and the operator's actions the order's face allows (cancel, refund, or for a Backd order a
 * refund request; replay a delivery), each confirmed with a reason.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getClock, listWebhooks, merchantsOnce, orderHistory } from '../admin.js';
import {
  type ActionError,
  ErrorText,
  Link,
  PageTitle,
  toActionError,
  useLoad,
} from '../components.js';
import { useI18n } from '../i18n.js';
import { href } from '../router.js';
import type { HistoryJson, OrderJson } from '../types.js';
import { BackdCard } from './backd-refunds.js';
import {
  type Dialog,
  OrderActions,
  OrderDialogs,
  OrderFacts,
  orderOffers,
  OrderStatus,
  OrderTimeline,
} from './order-sections.js';
import { awaitingDelivery, type EndpointInfo } from './timeline.js';

/** How often the page asks again while a webhook delivery is still pending. */
const POLL_MS = 2000;
/** Polls stop after this many in a row, so a page left open does not ask forever. */
const MAX_POLLS = 150;

export const orderRef = (o: OrderJson) => o.order_number ?? o.merchant_order_id ?? o.id;

export function OrderPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { history, error, offsetMs, refresh } = useOrderHistory(id);
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
  // Only what can still change by itself: a delivery pending on an endpoint that is enabled.
  const pending = history ? awaitingDelivery(history.entries, endpointInfo) : false;
  usePolling(pending, refresh);

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
  const offers = orderOffers(history);
  return (
    <>
      <p class="breadcrumb">
        <Link href={href('/orders')}>{t('order.back')}</Link>
      </p>
      <PageTitle>{t('order.title', { ref })}</PageTitle>
      <OrderStatus history={history} declined={offers.declined} />
      <ErrorText error={error} />
      <OrderFacts
        history={history}
        merchantName={merchants.data?.find((m) => m.id === order.merchant_id)?.name}
      />
      {history.backd && <BackdCard backd={history.backd} offsetMs={offsetMs} />}
      <OrderActions offers={offers} onDialog={setDialog} />
      <OrderTimeline
        history={history}
        pending={pending}
        offsetMs={offsetMs}
        endpointInfo={endpointInfo}
        onReplay={(delivery) => setDialog({ kind: 'replay', delivery })}
      />
      <OrderDialogs
        dialog={dialog}
        order={order}
        orderRef={ref}
        active={offers.active}
        onClose={() => setDialog(null)}
        refresh={refresh}
      />
    </>
  );
}

/** The order's history and the server's clock, loaded again by `refresh`. */
function useOrderHistory(id: string) {
  const [history, setHistory] = useState<HistoryJson | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  // Server clock minus browser clock, so countdowns run on the server's time.
  const [offsetMs, setOffsetMs] = useState(0);
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
  return { history, error, offsetMs, refresh };
}

/** Refreshes every POLL_MS while `pending`, at most MAX_POLLS times in a row. */
function usePolling(pending: boolean, refresh: () => Promise<void>) {
  const [polls, setPolls] = useState(0);
  useEffect(() => {
    if (!pending || polls >= MAX_POLLS) return;
    const timer = window.setTimeout(() => {
      void refresh().then(() => setPolls((n) => n + 1));
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [pending, polls, refresh]);
}
