/**
 * Refunds on the order page: the amount typed as a decimal (Arabic-Indic digits too), checked exactly as the API checks
 * amounts (`parseDecimalMinor`), then positive and within what is refundable; the labelled field
 * that asks for it (the refund dialog and the Backd request dialog share both); and the refund
 * dialog, full or partial, for orders whose face refunds so (never a Backd order).
 */
import { useState } from 'preact/hooks';
import { currencyExponent } from '../../domain/currencies.js';
import { westernDigits } from '../../domain/digits.js';
import { parseDecimalMinor } from '../../domain/money.js';
import { refundOrder } from '../admin.js';
import { isPendingApproval } from '../operators-api.js';
import { ApiError } from '../api.js';
import { announce, ConfirmDialog, FieldError, issuesFor } from '../components.js';
import { formatMoney } from '../format.js';
import { apiErrorText, type Lang, type MessageKey, type Translate, useI18n } from '../i18n.js';
import type { OrderJson } from '../types.js';

export function validateRefundAmount(
  text: string,
  currency: string,
  refundableMinor: number,
):
  | { ok: true; amountMinor: number }
  | { ok: false; key: MessageKey; params?: Record<string, string | number> } {
  // Arabic-Indic digits (an Arabic keyboard's) are read as the digits they are.
  const trimmed = westernDigits(text.trim());
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

/**
 * The amount typed, in minor units, or a FieldError beside the amount field saying why it is no
 * refund of `order` (`refundable`: its refundable rest, formatted).
 */
export function refundAmountMinor(
  t: Translate,
  text: string,
  order: OrderJson,
  refundable: string,
): number {
  const checked = validateRefundAmount(text, order.currency, order.refundable_minor);
  if (!checked.ok) {
    throw new FieldError(
      'amount_minor',
      t(checked.key, { amount: refundable, ...(checked.params ?? {}) }),
    );
  }
  return checked.amountMinor;
}

/**
 * The server's word on the amount (e.g. the refundable rest shrank meanwhile) belongs next to the
 * amount field: a refusal `refund.*` as a FieldError there; any other error as it is.
 */
export function besideAmount(t: Translate, lang: Lang, e: unknown): unknown {
  if (e instanceof ApiError && e.code.startsWith('refund.')) {
    return new FieldError('amount_minor', apiErrorText(t, lang, e.code, e.message));
  }
  return e;
}

/** The amount input with its refundable hint and its errors (`issues`). */
export function AmountField(props: {
  currency: string;
  /** The refundable rest, formatted. */
  refundable: string;
  value: string;
  issues: readonly string[];
  onInput: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for="refund-amount">{t('refund.amount', { currency: props.currency })}</label>
      <input
        id="refund-amount"
        name="amount"
        type="text"
        inputMode="decimal"
        autoComplete="off"
        dir="ltr"
        required
        value={props.value}
        aria-invalid={props.issues.length > 0 ? 'true' : undefined}
        aria-describedby="refund-amount-help refund-amount-error"
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      <p id="refund-amount-help" class="help">
        {t('refund.refundable', { amount: props.refundable })}
      </p>
      <p id="refund-amount-error" class="field-error">
        {props.issues.join(' ')}
      </p>
    </div>
  );
}

export function RefundDialog(props: {
  order: OrderJson;
  orderRef: string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { order } = props;
  const [mode, setMode] = useState<'full' | 'partial'>('full');
  const [amount, setAmount] = useState('');
  const ref = props.orderRef;
  const refundable = formatMoney(order.refundable_minor, order.currency, lang);
  return (
    <ConfirmDialog
      title={t('refund.title', { ref })}
      description={t('refund.text')}
      confirmLabel={t('refund.confirm')}
      dismissLabel={t('common.keepOrder')}
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        let amountMinor: number | undefined;
        if (mode === 'partial') amountMinor = refundAmountMinor(t, amount, order, refundable);
        const request = { refund: order.id, amountMinor, reason };
        let answer: unknown;
        try {
          answer = await refundOrder(order.id, amountMinor, reason, keyFor(request));
        } catch (e) {
          throw mode === 'partial' ? besideAmount(t, lang, e) : e;
        }
        const refunded = formatMoney(amountMinor ?? order.refundable_minor, order.currency, lang);
        // Above the four-eyes limit the refund waits for a second operator (202).
        announce(
          t(isPendingApproval(answer) ? 'approvals.requested' : 'refund.done', {
            amount: refunded,
            ref,
          }),
        );
        await props.onDone();
      }}
    >
      {(error) => (
        <RefundKind
          currency={order.currency}
          refundable={refundable}
          mode={mode}
          onMode={setMode}
          amount={amount}
          amountIssues={issuesFor(error, 'amount_minor')}
          onAmount={setAmount}
        />
      )}
    </ConfirmDialog>
  );
}

/** Full or partial, and for a partial refund its amount. */
function RefundKind(props: {
  currency: string;
  /** The refundable rest, formatted. */
  refundable: string;
  mode: 'full' | 'partial';
  onMode: (mode: 'full' | 'partial') => void;
  amount: string;
  amountIssues: readonly string[];
  onAmount: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset class="refund-kind">
      <legend>{t('refund.kind')}</legend>
      <label class="choice">
        <input
          type="radio"
          name="refund-kind"
          value="full"
          checked={props.mode === 'full'}
          onChange={() => props.onMode('full')}
        />
        {t('refund.full', { amount: props.refundable })}
      </label>
      <label class="choice">
        <input
          type="radio"
          name="refund-kind"
          value="partial"
          checked={props.mode === 'partial'}
          onChange={() => props.onMode('partial')}
        />
        {t('refund.partial')}
      </label>
      {props.mode === 'partial' && (
        <AmountField
          currency={props.currency}
          refundable={props.refundable}
          value={props.amount}
          issues={props.amountIssues}
          onInput={props.onAmount}
        />
      )}
    </fieldset>
  );
}
