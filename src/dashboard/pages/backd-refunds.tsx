/**
 * A Backd order on the order page: Backd's status and the active refund request (status, amount,
 * lock time and a countdown), and the only refunds the rule allows on a Backd order: submit a
 * refund request on the merchant's behalf (replacing the active draft by naming it) or withdraw
 * a draft (docs/dashboard.md, docs/dialects/backd.md "Refunds by operators").
 */
import { useState } from 'preact/hooks';
import { LOCK_TIME_ZONE } from '../../domain/business-days.js';
import { submitRefundRequest, withdrawRefundRequest } from '../admin.js';
import {
  announce,
  Badge,
  ConfirmDialog,
  Countdown,
  Facts,
  Id,
  issuesFor,
  Table,
} from '../components.js';
import { formatInstant, formatMoney } from '../format.js';
import { codeLabel, useI18n } from '../i18n.js';
import type { BackdJson, OrderJson, RefundRequestJson } from '../types.js';
import { AmountField, besideAmount, refundAmountMinor } from './refunds.js';

/** Backd's status and the active refund request, as Backd's clients see them now. */
export function BackdCard(props: { backd: BackdJson; offsetMs: number }) {
  const { t, lang } = useI18n();
  const active = props.backd.active_refund_request;
  const lockedMs = active?.locked_at ? Date.parse(active.locked_at) : null;
  return (
    <section aria-labelledby="backd-title" class="card">
      <h2 id="backd-title">{t('backd.title')}</h2>
      <p class="help">{t('backd.rule')}</p>
      <Facts
        items={[
          [t('backd.status'), <Badge status={props.backd.status} />],
          ...(active === null
            ? [[t('backd.activeRequest'), t('backd.noActiveRequest')] as const]
            : [
                [t('backd.activeRequest'), <Badge status={active.status} />] as const,
                [t('backd.requestId'), <Id value={active.id} />] as const,
                [
                  t('timeline.amount'),
                  formatMoney(active.amount_minor, active.currency, lang),
                ] as const,
                [t('timeline.lockedAt'), formatInstant(active.locked_at, lang)] as const,
                [
                  t('timeline.lockedAtChicago'),
                  formatInstant(active.locked_at, lang, LOCK_TIME_ZONE),
                ] as const,
                ...(lockedMs !== null && active.status === 'draft'
                  ? [
                      [
                        t('timeline.locksIn'),
                        <Countdown targetMs={lockedMs} offsetMs={props.offsetMs} />,
                      ] as const,
                    ]
                  : []),
              ]),
        ]}
      />
      <Table<RefundRequestJson>
        caption={t('backd.requests')}
        rows={props.backd.refund_requests}
        rowKey={(r) => r.id}
        empty={t('backd.noRequests')}
        columns={[
          {
            label: t('backd.requestId'),
            primary: true,
            render: (r) => <code class="id">…{requestRef(r)}</code>,
          },
          { label: t('timeline.status'), render: (r) => <Badge status={r.status} /> },
          {
            label: t('timeline.amount'),
            render: (r) => formatMoney(r.amount_minor, r.currency, lang),
          },
          { label: t('backd.submittedAt'), render: (r) => formatInstant(r.created_at, lang) },
          { label: t('timeline.lockedAt'), render: (r) => formatInstant(r.locked_at, lang) },
          {
            label: t('timeline.declineReason'),
            render: (r) => (r.decline_reason ? codeLabel(t, 'decline', r.decline_reason) : '—'),
          },
        ]}
      />
    </section>
  );
}

const requestRef = (r: RefundRequestJson) => r.id.slice(-12);

/** Submits a request on the merchant's behalf; an active draft is replaced only by naming it. */
export function RequestRefundDialog(props: {
  order: OrderJson;
  active: RefundRequestJson | null;
  orderRef: string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { order, active } = props;
  const [amount, setAmount] = useState('');
  const refundable = formatMoney(order.refundable_minor, order.currency, lang);
  const replaces = active?.status === 'draft' ? active : null;
  return (
    <ConfirmDialog
      title={t('request.title', { ref: props.orderRef })}
      description={
        replaces
          ? `${t('request.text')} ${t('request.replaces', {
              id: requestRef(replaces),
              amount: formatMoney(replaces.amount_minor, replaces.currency, lang),
            })}`
          : t('request.text')
      }
      confirmLabel={t('request.confirm')}
      dismissLabel={t('request.keep')}
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        const amountMinor = refundAmountMinor(t, amount, order, refundable);
        const replacesId = replaces?.id ?? null;
        const request = { request: order.id, amount: amountMinor, replacesId, reason };
        try {
          await submitRefundRequest(order.id, amountMinor, replacesId, reason, keyFor(request));
        } catch (e) {
          throw besideAmount(t, lang, e);
        }
        announce(
          t('request.done', {
            amount: formatMoney(amountMinor, order.currency, lang),
            ref: props.orderRef,
          }),
        );
        await props.onDone();
      }}
    >
      {(error) => (
        <AmountField
          currency={order.currency}
          refundable={refundable}
          value={amount}
          issues={issuesFor(error, 'amount_minor')}
          onInput={setAmount}
        />
      )}
    </ConfirmDialog>
  );
}

/** Withdraws the active draft (declined as deleted); no money moves. */
export function WithdrawRequestDialog(props: {
  order: OrderJson;
  request: RefundRequestJson;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { order, request } = props;
  const id = requestRef(request);
  return (
    <ConfirmDialog
      title={t('withdraw.title', { id })}
      description={t('withdraw.text', {
        amount: formatMoney(request.amount_minor, request.currency, lang),
      })}
      confirmLabel={t('withdraw.confirm')}
      dismissLabel={t('withdraw.keep')}
      danger
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        const key = keyFor({ withdraw: request.id, reason });
        await withdrawRefundRequest(order.id, request.id, reason, key);
        announce(t('withdraw.done', { id }));
        await props.onDone();
      }}
    />
  );
}
