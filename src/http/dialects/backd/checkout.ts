/**
 * The buyer's terms page at `customer_url` (`PUBLIC_URL/backd/checkout/{token}`): a small,
 * accessible HTML page where the buyer picks net30, net60 or net90. A form POST selects the terms
 * and redirects to the merchant's `order_success_url` (303); a POST with
 * `Accept: application/json` and `{"terms": "net30"}` does the same for scripts and answers
 * `{"backd_order_id": "...", "status": "terms_selected"}`. The unguessable token is the buyer's
 * only credential; only its hash is stored.
 *
 * Once the merchant has placed the order the terms are settled, and the page (and its JSON)
 * answers only the order's state and terms: a link that outlives its purpose shows nothing of
 * the order. A form post another site made the browser send is refused.
 */
import type { FastifyInstance } from 'fastify';
import {
  type BackdOrderView,
  findBackdOrderByToken,
  selectBackdTerms,
} from '../../../app/backd-orders.js';
import { answering, type AppDeps, execute } from '../../../app/context.js';
import { hostedPageKeyScope } from '../../../app/idempotency.js';
import { hashSecret } from '../../../app/secrets.js';
import { BACKD_TERMS, type BackdTerms } from '../../../domain/backd-order.js';
import { formatMinor } from '../../../domain/money.js';
import { withQueryParams } from '../../../domain/urls.js';
import { send } from '../../faces.js';
import {
  escapeHtml,
  htmlPage,
  isCrossSitePost,
  registerFormParser,
  sendHtml,
  wantsJson,
} from '../../hosted-page.js';
import { secretRoute } from '../../log-redaction.js';
import { documented } from '../../openapi.js';
import { respond } from '../../respond.js';
import { parseOrThrow } from '../../validation.js';
import { backdErrorOf, failure, renderBackdDomainError } from './errors.js';
import { termsSchema } from './schemas.js';

/** A terms form is a few bytes; nothing bigger is read. */
const FORM_BODY_LIMIT_BYTES = 4096;

/** Tokens are 32 random bytes in base64url. Anything else cannot be one: 404 without a lookup. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

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

const page = (title: string, body: string): string => htmlPage({ title, css: PAGE_CSS, body });

/** True while the buyer may still choose terms; afterwards the page shows only the state. */
const choosing = (view: BackdOrderView): boolean =>
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

function termsPage(view: BackdOrderView, error?: string): string {
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

function notFoundPage(): string {
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

export async function backdCheckoutRoutes(
  app: FastifyInstance,
  options: { deps: AppDeps; publicUrl: string },
): Promise<void> {
  const { deps, publicUrl } = options;
  // The terms form posts application/x-www-form-urlencoded; only these routes accept it.
  registerFormParser(app, FORM_BODY_LIMIT_BYTES);

  type Params = { Params: { token: string } };

  // The page itself is a hosted page, not part of the API; its JSON POST is documented.
  // The token in the path is the buyer's credential (src/http/log-redaction.ts).
  const pageRoute = secretRoute({ config: { openapi: false as const } }, 'token');
  app.get<Params>('/checkout/:token', pageRoute, async (request, reply) => {
    const view = TOKEN.test(request.params.token)
      ? await findBackdOrderByToken(deps, request.params.token)
      : null;
    if (!view) {
      if (wantsJson(request)) {
        return send(reply, renderBackdDomainError({ code: 'order.not_found' }));
      }
      return sendHtml(reply, 404, notFoundPage());
    }
    if (wantsJson(request)) {
      if (!choosing(view)) return { status: view.backd.status, terms: view.backd.terms };
      return {
        backd_order_id: view.backd.backdOrderId,
        status: view.backd.status,
        terms: view.backd.terms,
      };
    }
    return sendHtml(reply, 200, termsPage(view));
  });

  app.post<Params>(
    '/checkout/:token',
    secretRoute(
      documented({
        summary: 'The buyer selects terms (Accept: application/json; browsers post the form)',
        tag: 'Terms page',
        body: termsSchema,
      }),
      'token',
    ),
    async (request, reply) => {
      const token = request.params.token;
      if (isCrossSitePost(request, publicUrl)) {
        const message = 'This form can only be sent from the terms page itself.';
        if (wantsJson(request)) return send(reply, { status: 403, body: failure(403, message) });
        return sendHtml(
          reply,
          403,
          page('Payment terms', `<p class="error" role="alert">${message}</p>`),
        );
      }
      if (wantsJson(request)) {
        if (!TOKEN.test(token)) {
          return send(reply, renderBackdDomainError({ code: 'order.not_found' }));
        }
        const body = parseOrThrow(termsSchema, request.body);
        return respond(deps, request, reply, selectBackdTerms(token, body.terms), {
          // Keys are the buyer's, scoped to the order's token (by its hash: a token is a secret).
          scope: hostedPageKeyScope('backd-checkout', hashSecret(token)),
          render: (view) => ({
            status: 200,
            body: { backd_order_id: view.backd.backdOrderId, status: view.backd.status },
          }),
          renderError: renderBackdDomainError,
        });
      }

      // A browser's form post.
      const view = TOKEN.test(token) ? await findBackdOrderByToken(deps, token) : null;
      if (!view) return sendHtml(reply, 404, notFoundPage());
      const parsed = termsSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        return sendHtml(reply, 422, termsPage(view, 'Choose one of the payment terms.'));
      }
      // The redirect is built inside the change's transaction from the URL it stored, read through
      // withQueryParams (an older raw URL with a CR or LF the parser forgave comes back as the
      // parser read it), so no header can fail once the terms are chosen.
      const result = await execute(
        deps,
        answering(selectBackdTerms(token, parsed.data.terms), (chosen) => ({
          chosen,
          location: withQueryParams(chosen.backd.mode.orderSuccessUrl, [
            ['backd_order_id', chosen.backd.backdOrderId],
            ['merchant_order_id', chosen.backd.merchantOrderId],
          ]),
        })),
      );
      if (!result.ok) {
        const { status, message } = backdErrorOf(result.error);
        const current = (await findBackdOrderByToken(deps, token)) ?? view;
        return sendHtml(reply, status, termsPage(current, message));
      }
      const { chosen, location } = result.value;
      // No usable URL to send the buyer to: the choice is made, so show it rather than fail.
      if (location === null) return sendHtml(reply, 200, termsPage(chosen));
      return reply.code(303).header('location', location).send();
    },
  );
}
