/**
 * The HTML of the buyer's terms page (checkout/page.ts serves it): the order and the three terms
 * while the buyer may choose, only the order's state and terms once the merchant has placed it.
 */
import type { BackdOrderView } from '../../../../app/backd-orders.js';
import { BACKD_TERMS, type BackdTerms } from '../../../../domain/backd-order.js';
import { formatMinor } from '../../../../domain/money.js';
import { withQueryParams } from '../../../../domain/urls.js';
import { escapeHtml, htmlPage } from '../../../hosted-page.js';

const TERMS_LABELS: Record<BackdTerms, string> = {
  net30: 'Net 30: pay within 30 days',
  net60: 'Net 60: pay within 60 days',
  net90: 'Net 90: pay within 90 days',
};

const PAGE_CSS = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
table{border-collapse:collapse;width:100%}td,th{padding:.25rem .5rem;text-align:left;border-bottom:1px solid #ddd}
fieldset{border:1px solid #888;padding:1rem;margin:1rem 0}label{display:block;padding:.35rem 0}
button{font-size:1rem;padding:.5rem 1.25rem}a{color:#0645ad}
.error{border:2px solid #b00020;padding:.5rem 1rem;color:#b00020}`;

export const page = (title: string, body: string): string =>
  htmlPage({ title, css: PAGE_CSS, body });

/** True while the buyer may still choose terms; afterwards the page shows only the state. */
export const choosing = (view: BackdOrderView): boolean =>
  view.backd.status === 'created' || view.backd.status === 'terms_selected';

const STATE_TEXT: Record<string, string> = {
  order_placed: 'The shop has placed your order.',
  order_confirmed: 'The shop has confirmed your order.',
  order_canceled: 'This order was cancelled.',
  refund: 'This order has been refunded in part or in full.',
};

/** A settled order's page: its state and terms, nothing of the order itself. */
function settledPage(view: BackdOrderView, error?: string): string {
  const { backd } = view;
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>\n` : '';
  return page(
    'Payment terms',
    `<h1>Payment terms</h1>
${alert}<p role="status">${escapeHtml(STATE_TEXT[backd.status] ?? 'This order can no longer be changed here.')} Your terms: ${escapeHtml(backd.terms ? TERMS_LABELS[backd.terms] : 'none')}.</p>`,
  );
}

export function termsPage(view: BackdOrderView, error?: string): string {
  if (!choosing(view)) return settledPage(view, error);
  const { backd } = view;
  const money = (minor: number) => `${formatMinor(minor, backd.currency)} ${backd.currency}`;
  const rows = backd.items
    .map(
      (i) =>
        `<tr><td>${escapeHtml(i.displayName)}</td><td>${escapeHtml(String(i.qty))}</td><td>${escapeHtml(money(i.unitPriceMinor))}</td></tr>`,
    )
    .join('\n');
  const summary = `<h1>Choose your payment terms</h1>
<p>Order <strong>${escapeHtml(backd.merchantOrderId)}</strong> (${escapeHtml(backd.backdOrderId)}), total <strong>${escapeHtml(money(backd.orderTotalMinor))}</strong>.</p>
<table>
<caption>Items</caption>
<thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">Unit price</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  const closeUrl = withQueryParams(backd.mode.orderCloseUrl, [['message', CLOSE_MESSAGE]]);
  const closeLink = closeUrl
    ? `<p><a href="${escapeHtml(closeUrl)}">Return to the shop without choosing</a></p>`
    : '';
  const options = BACKD_TERMS.map(
    (t) =>
      `<label for="terms-${t}"><input type="radio" id="terms-${t}" name="terms" value="${t}" required${backd.terms === t ? ' checked' : ''}> ${escapeHtml(TERMS_LABELS[t])}</label>`,
  ).join('\n');
  const errorBox = error
    ? `<div class="error" role="alert" id="form-error"><p>${escapeHtml(error)}</p></div>`
    : '';
  const chosen = backd.terms
    ? `<p role="status">You chose ${escapeHtml(TERMS_LABELS[backd.terms])}. You may change it until the shop places the order.</p>`
    : '';
  return page(
    'Choose your payment terms',
    `${summary}
${chosen}
${errorBox}
<form method="post"${error ? ' aria-describedby="form-error"' : ''}>
<fieldset>
<legend>Payment terms</legend>
${options}
</fieldset>
<button type="submit">Confirm terms</button>
</form>
${closeLink}`,
  );
}

export function notFoundPage(): string {
  return page(
    'Order not found',
    '<h1>Order not found</h1>\n<p>This link is not valid. Ask the shop for a new one.</p>',
  );
}

/**
 * The `message` the close link carries to `order_close_url` (the redirect-flow page: "how or why
 * a customer has exited the widget before completing").
 */
export const CLOSE_MESSAGE = 'The customer closed the terms page without choosing terms.';
