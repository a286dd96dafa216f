/**
 * The hosted checkout's HTML: a plain server-rendered page per step (phone, code, wallet), each
 * form labelled and posting to its own step, errors announced with `role="alert"`. Nothing of a
 * wallet appears before the code step has been passed; a closed session's page names only its
 * state.
 */
import type { CheckoutCustomer, CheckoutPage } from '../../../app/points-checkout.js';
import { formatMinor } from '../../../domain/money.js';
import type { CheckoutState } from '../../../domain/points-checkout.js';
import { CHECKOUT_CODE_DIGITS, NO_ACCOUNT_MESSAGE } from '../../../domain/points-checkout.js';
import { escapeHtml, htmlPage } from '../../hosted-page.js';

const PAGE_CSS = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
label{display:block;font-weight:600;margin-top:1rem}
input{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #555;border-radius:4px}
button{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem;background:#0b5394;color:#fff;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:#0b5394;border:1px solid #0b5394}
button:focus,input:focus{outline:3px solid #f1c232;outline-offset:2px}
.error{color:#a61c00;font-weight:600}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}`;

export const checkoutPage = (title: string, body: string): string =>
  htmlPage({
    title: `${title} · Points checkout`,
    css: PAGE_CSS,
    body: `<h1>${escapeHtml(title)}</h1>\n${body}`,
  });

/** Paths of the steps' forms, relative to the server. */
export interface StepPaths {
  readonly page: string;
  readonly code: string;
  readonly verify: string;
  readonly cancel: string;
}

export const stepPaths = (sessionId: string): StepPaths => {
  const page = `/points/pay/${encodeURIComponent(sessionId)}`;
  return { page, code: `${page}/code`, verify: `${page}/verify`, cancel: `${page}/cancel` };
};

type OpenPage = Extract<CheckoutPage, { state: 'open' }>;

function summary(view: OpenPage): string {
  const s = view.session;
  return `<dl>
<dt>Merchant</dt><dd>${escapeHtml(view.merchantName)}</dd>
<dt>Order</dt><dd>${escapeHtml(s.orderNumber)}</dd>
<dt>Total</dt><dd>${escapeHtml(formatMinor(s.amountMinor, s.currency))} ${escapeHtml(s.currency)}</dd>
<dt>Point value</dt><dd>${escapeHtml(formatMinor(view.minorPerPoint, s.currency))} ${escapeHtml(s.currency)}</dd>
</dl>`;
}

const alertOf = (error: string | null): string =>
  error ? `<p class="error" role="alert" id="form-error">${escapeHtml(error)}</p>\n` : '';

const describedBy = (error: string | null, own: string) =>
  `aria-describedby="${own}${error ? ' form-error' : ''}"`;

function cancelForm(paths: StepPaths): string {
  return `<form method="post" action="${escapeHtml(paths.cancel)}">
<button type="submit" class="secondary">Cancel and return to the shop</button>
</form>`;
}

/** The steps of an open session. */
export type Step =
  | { readonly kind: 'phone'; readonly prefill: string | null }
  | { readonly kind: 'code'; readonly phone: string; readonly expiresAt: number }
  | { readonly kind: 'wallet'; readonly customer: CheckoutCustomer; readonly token: string }
  | { readonly kind: 'no_account'; readonly phone: string };

function phoneStep(paths: StepPaths, prefill: string | null, error: string | null): string {
  return `<form method="post" action="${escapeHtml(paths.code)}">
<label for="phone_number">Mobile number</label>
<input id="phone_number" name="phone_number" type="tel" inputmode="tel" autocomplete="tel" required value="${escapeHtml(prefill ?? '')}" ${describedBy(error, 'phone-help')}>
<p id="phone-help">Saudi mobile number, e.g. 05XXXXXXXX. We send a one-time code to it before showing your points.</p>
<button type="submit">Send code</button>
</form>`;
}

function codeStep(
  paths: StepPaths,
  phone: string,
  expiresAt: number,
  error: string | null,
): string {
  const until = new Date(expiresAt).toISOString().slice(11, 16);
  return `<p>We sent a ${CHECKOUT_CODE_DIGITS}-digit code to <strong>0${escapeHtml(phone)}</strong>. It is valid until ${until} UTC.</p>
<form method="post" action="${escapeHtml(paths.verify)}">
<label for="code">Verification code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{${CHECKOUT_CODE_DIGITS}}" maxlength="${CHECKOUT_CODE_DIGITS}" required ${describedBy(error, 'code-help')}>
<p id="code-help">Enter the ${CHECKOUT_CODE_DIGITS} digits from the message.</p>
<button type="submit">Verify</button>
</form>
<form method="post" action="${escapeHtml(paths.code)}">
<input type="hidden" name="phone_number" value="${escapeHtml(phone)}">
<button type="submit" class="secondary">Send a new code</button>
</form>`;
}

function walletStep(
  paths: StepPaths,
  customer: CheckoutCustomer,
  token: string,
  error: string | null,
): string {
  return `<p>Points balance for 0${escapeHtml(customer.phone)}: <strong>${customer.balance}</strong></p>
<form method="post" action="${escapeHtml(paths.page)}">
<input type="hidden" name="verification_token" value="${escapeHtml(token)}">
<label for="redeem_points">Points to redeem (0 to ${customer.maxRedeemPoints})</label>
<input id="redeem_points" name="redeem_points" type="number" min="0" max="${customer.maxRedeemPoints}" step="1" required value="${customer.maxRedeemPoints}" ${describedBy(error, 'redeem-help')}>
<p id="redeem-help">The rest of the total is paid at the shop.</p>
<button type="submit">Confirm</button>
</form>`;
}

function noAccountStep(paths: StepPaths): string {
  return `<p role="status" lang="ar" dir="rtl">${escapeHtml(NO_ACCOUNT_MESSAGE)}</p>
<p>You can use another mobile number.</p>
${phoneStep(paths, null, null)}`;
}

/** An open session's page at `step`, with `error` announced above the form. */
export function openCheckoutHtml(
  view: OpenPage,
  paths: StepPaths,
  step: Step,
  error: string | null,
): string {
  let form: string;
  switch (step.kind) {
    case 'phone':
      form = phoneStep(paths, step.prefill, error);
      break;
    case 'code':
      form = codeStep(paths, step.phone, step.expiresAt, error);
      break;
    case 'wallet':
      form = walletStep(paths, step.customer, step.token, error);
      break;
    case 'no_account':
      form = noAccountStep(paths);
      break;
  }
  return checkoutPage(
    'Pay with Points',
    `${summary(view)}\n${alertOf(error)}${form}\n${cancelForm(paths)}`,
  );
}

const CLOSED: Record<Exclude<CheckoutState, 'open'>, readonly [string, string]> = {
  completed: ['Checkout complete', 'This checkout is complete.'],
  cancelled: ['Checkout cancelled', 'This checkout was cancelled.'],
  expired: ['Checkout expired', 'This checkout has expired.'],
};

/** A closed session's page: its state and nothing else. */
export function closedCheckoutHtml(state: Exclude<CheckoutState, 'open'>): string {
  const [title, text] = CLOSED[state];
  return checkoutPage(title, `<p role="status">${escapeHtml(text)}</p>`);
}

export const notFoundHtml = (): string =>
  checkoutPage('Checkout not found', '<p>This checkout does not exist.</p>');
