/**
 * One order: its amounts and points, its whole history as a timeline, and the operator's
 * actions (cancel, refund, replay a delivery), each confirmed with a reason.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { parseDecimalMinor } from '../../domain/money.js';
import { currencyExponent } from '../../domain/currencies.js';
import {
  cancelOrder,
  getClock,
  listWebhooks,
  merchantsOnce,
  orderHistory,
  refundOrder,
  replayDelivery,
} from '../admin.js';
import { ApiError } from '../api.js';
import {
  type ActionError,
  announce,
  Badge,
  ConfirmDialog,
  Countdown,
  ErrorText,
  Facts,
  FieldError,
  issuesFor,
  Link,
  PageTitle,
  Table,
  toActionError,
  useLoad,
} from '../components.js';
import { LOCK_TIME_ZONE } from '../../domain/business-days.js';
import { formatInstant, formatMoney, formatNumber } from '../format.js';
import { codeLabel, type MessageKey, useI18n } from '../i18n.js';
import { href } from '../router.js';
import type {
  AttemptJson,
  DeliveryJson,
  HistoryEntryJson,
  HistoryJson,
  OrderJson,
} from '../types.js';

/** How often the page asks again while a webhook delivery is still pending. */
const POLL_MS = 2000;

export const orderRef = (o: OrderJson) => o.order_number ?? o.merchant_order_id ?? o.id;

/**
 * A partial refund typed as a decimal, checked exactly as the API checks amounts
 * (`parseDecimalMinor`), then positive and within what is refundable.
 */
export function validateRefundAmount(
  text: string,
  currency: string,
  refundableMinor: number,
):
  | { ok: true; amountMinor: number }
  | { ok: false; key: MessageKey; params?: Record<string, string | number> } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, key: 'refund.amountRequired' };
  const parsed = parseDecimalMinor(trimmed, currency);
  if (!parsed.ok) {
    switch (parsed.error) {
      case 'too_many_decimals':
        return {
          ok: false,
          key: 'refund.tooManyDecimals',
          params: { currency, digits: currencyExponent(currency) ?? 0 },
        };
      case 'out_of_range':
        return { ok: false, key: 'refund.outOfRange' };
      default:
        return { ok: false, key: 'refund.notANumber' };
    }
  }
  if (parsed.value <= 0) return { ok: false, key: 'refund.notPositive' };
  if (parsed.value > refundableMinor) return { ok: false, key: 'refund.exceeds' };
  return { ok: true, amountMinor: parsed.value };
}

type Dialog =
  { kind: 'cancel' } | { kind: 'refund' } | { kind: 'replay'; delivery: DeliveryJson } | null;

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
  const cancellable = order.status === 'pending' || order.status === 'authorized';
  const refundable = order.refundable_minor > 0;

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

      {(cancellable || refundable) && (
        <section aria-labelledby="actions-title" class="actions-bar">
          <h2 id="actions-title">{t('order.actions')}</h2>
          {refundable && (
            <button type="button" class="primary" onClick={() => setDialog({ kind: 'refund' })}>
              {t('order.refund')}
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
        <RefundDialog order={order} onClose={() => setDialog(null)} onDone={refresh} />
      )}
      {dialog?.kind === 'replay' && (
        <ReplayDialog delivery={dialog.delivery} onClose={() => setDialog(null)} onDone={refresh} />
      )}
    </>
  );
}

function RefundDialog(props: {
  order: OrderJson;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { order } = props;
  const [mode, setMode] = useState<'full' | 'partial'>('full');
  const [amount, setAmount] = useState('');
  const ref = orderRef(order);
  const refundable = formatMoney(order.refundable_minor, order.currency, lang);
  return (
    <ConfirmDialog
      title={t('refund.title', { ref })}
      description={t('refund.text')}
      confirmLabel={t('refund.confirm')}
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        let amountMinor: number | undefined;
        if (mode === 'partial') {
          const checked = validateRefundAmount(amount, order.currency, order.refundable_minor);
          if (!checked.ok) {
            throw new FieldError(
              'amount_minor',
              t(checked.key, { amount: refundable, ...(checked.params ?? {}) }),
            );
          }
          amountMinor = checked.amountMinor;
        }
        const request = { refund: order.id, amountMinor, reason };
        try {
          await refundOrder(order.id, amountMinor, reason, keyFor(request));
        } catch (e) {
          // The server's word on the amount (e.g. the refundable rest shrank meanwhile) belongs
          // next to the amount field.
          if (e instanceof ApiError && e.code.startsWith('refund.') && mode === 'partial') {
            throw new FieldError('amount_minor', e.message);
          }
          throw e;
        }
        announce(
          t('refund.done', {
            amount: formatMoney(amountMinor ?? order.refundable_minor, order.currency, lang),
            ref,
          }),
        );
        await props.onDone();
      }}
    >
      {(error) => {
        const amountIssues = issuesFor(error, 'amount_minor');
        return (
          <fieldset class="refund-kind">
            <legend>{t('refund.kind')}</legend>
            <label class="choice">
              <input
                type="radio"
                name="refund-kind"
                value="full"
                checked={mode === 'full'}
                onChange={() => setMode('full')}
              />
              {t('refund.full', { amount: refundable })}
            </label>
            <label class="choice">
              <input
                type="radio"
                name="refund-kind"
                value="partial"
                checked={mode === 'partial'}
                onChange={() => setMode('partial')}
              />
              {t('refund.partial')}
            </label>
            {mode === 'partial' && (
              <div class="field">
                <label for="refund-amount">
                  {t('refund.amount', { currency: order.currency })}
                </label>
                <input
                  id="refund-amount"
                  name="amount"
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  dir="ltr"
                  required
                  value={amount}
                  aria-invalid={amountIssues.length > 0 ? 'true' : undefined}
                  aria-describedby="refund-amount-help refund-amount-error"
                  onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
                />
                <p id="refund-amount-help" class="help">
                  {t('refund.refundable', { amount: refundable })}
                </p>
                <p id="refund-amount-error" class="field-error">
                  {amountIssues.join(' ')}
                </p>
              </div>
            )}
          </fieldset>
        );
      }}
    </ConfirmDialog>
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
