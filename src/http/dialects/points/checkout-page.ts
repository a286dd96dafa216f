/**
 * The hosted checkout at PUBLIC_URL/points/pay/{session}: a plain, accessible HTML page where the
 * customer enters a phone number, sees the points balance, chooses how many points to redeem and
 * confirms. The same URL answers JSON (`Accept: application/json`) so scripts and tests can drive
 * it: POST `{"phone_number", "redeem_points"}` returns `{"order_uuid", "redirect_url"}`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type AppDeps, execute } from '../../../app/context.js';
import {
  type CheckoutPage,
  confirmCheckout,
  type ConfirmedCheckout,
  getCheckoutPage,
} from '../../../app/points-orders.js';
import type { DomainError } from '../../../domain/errors.js';
import { formatMinor } from '../../../domain/money.js';
import { normalisePhone } from '../../../domain/points.js';
import { HttpProblem, send } from '../../faces.js';
import { secretRoute } from '../../log-redaction.js';
import { escapeHtml, htmlPage, sendHtml, wantsJson } from '../../hosted-page.js';
import { respond } from '../../respond.js';
import { renderPointsDomainError } from './errors.js';
import { envelope } from './render.js';
import { parseBody, payFields } from './schemas.js';
import { validate } from './validate.js';

/** The hosted page is for customers' browsers, not part of the Points API document. */
// Not an API; the session id in the path is the customer's credential (src/http/log-redaction.ts).
const NOT_AN_API = secretRoute({ config: { openapi: false as const } }, 'session');

type SessionParams = { Params: { session: string }; Querystring: { phone_number?: string } };

/** Where the customer goes after confirming: the merchant's callback, told the order. */
export function redirectUrl(confirmed: ConfirmedCheckout, pageUrl: string): string {
  const callback = confirmed.session.callbackUrl;
  if (callback === null) return pageUrl;
  const url = new URL(callback);
  url.searchParams.set('order_uuid', confirmed.order.id);
  url.searchParams.set('order_number', confirmed.session.orderNumber);
  url.searchParams.set('status', 'new');
  return url.toString();
}

const PAGE_CSS = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
label{display:block;font-weight:600;margin-top:1rem}
input{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #555;border-radius:4px}
button{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem;background:#0b5394;color:#fff;border:0;border-radius:4px;cursor:pointer}
button:focus,input:focus{outline:3px solid #f1c232;outline-offset:2px}
.error{color:#a61c00;font-weight:600}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}`;

const page = (title: string, body: string): string =>
  htmlPage({
    title: `${title} · Points checkout`,
    css: PAGE_CSS,
    body: `<h1>${escapeHtml(title)}</h1>\n${body}`,
  });

function summary(view: CheckoutPage): string {
  const s = view.session;
  return `<dl>
<dt>Merchant</dt><dd>${escapeHtml(view.merchantName)}</dd>
<dt>Order</dt><dd>${escapeHtml(s.orderNumber)}</dd>
<dt>Total</dt><dd>${escapeHtml(formatMinor(s.amountMinor, s.currency))} ${escapeHtml(s.currency)}</dd>
<dt>Point value</dt><dd>${escapeHtml(formatMinor(view.minorPerPoint, s.currency))} ${escapeHtml(s.currency)}</dd>
</dl>`;
}

function checkoutHtml(view: CheckoutPage, action: string, error: string | null): string {
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  if (view.session.status === 'completed') {
    return page('Checkout complete', `${summary(view)}<p>Thank you. Your order is placed.</p>`);
  }
  if (view.expired) {
    return page('Checkout expired', `${summary(view)}<p>This checkout has expired.</p>`);
  }
  if (view.customer === null) {
    const prefill = view.session.phone ?? '';
    return page(
      'Pay with Points',
      `${summary(view)}${alert}
<form method="get" action="${escapeHtml(action)}">
<label for="phone_number">Mobile number</label>
<input id="phone_number" name="phone_number" type="tel" inputmode="tel" autocomplete="tel" required value="${escapeHtml(prefill)}" aria-describedby="phone-help">
<p id="phone-help">Saudi mobile number, e.g. 05XXXXXXXX.</p>
<button type="submit">Show my points</button>
</form>`,
    );
  }
  const c = view.customer;
  return page(
    'Pay with Points',
    `${summary(view)}${alert}
<p>Points balance for ${escapeHtml(c.phone)}: <strong>${c.balance}</strong></p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="phone_number" value="${escapeHtml(c.phone)}">
<label for="redeem_points">Points to redeem (0 to ${c.maxRedeemPoints})</label>
<input id="redeem_points" name="redeem_points" type="number" min="0" max="${c.maxRedeemPoints}" step="1" required value="${c.maxRedeemPoints}">
<button type="submit">Confirm</button>
</form>`,
  );
}

function pageJson(view: CheckoutPage) {
  const s = view.session;
  return envelope({
    order_number: s.orderNumber,
    merchant_name: view.merchantName,
    total_price: Number(formatMinor(s.amountMinor, s.currency)),
    sar_per_point: Number(formatMinor(view.minorPerPoint, s.currency)),
    status: s.status === 'completed' ? 'completed' : view.expired ? 'expired' : 'open',
    order_uuid: s.orderId,
    customer: view.customer && {
      phone_number: view.customer.phone,
      balance: view.customer.balance,
      max_redeem_points: view.customer.maxRedeemPoints,
    },
  });
}

export function registerCheckoutPage(app: FastifyInstance, deps: AppDeps, publicUrl: string) {
  const pageUrl = (id: string) => `${publicUrl}/points/pay/${encodeURIComponent(id)}`;
  const action = (id: string) => `/points/pay/${encodeURIComponent(id)}`;

  const htmlError = async (
    reply: FastifyReply,
    id: string,
    error: DomainError | string,
    status: number,
  ) => {
    const view = await getCheckoutPage(deps, id, null);
    const message =
      typeof error === 'string'
        ? error
        : ((renderPointsDomainError(error).body as { message?: string }).message ?? 'Error');
    if (!view.ok) return sendHtml(reply, 404, page('Not found', `<p>${escapeHtml(message)}</p>`));
    return sendHtml(reply, status, checkoutHtml(view.value, action(id), message));
  };

  app.get<SessionParams>('/points/pay/:session', NOT_AN_API, async (request, reply) => {
    const id = request.params.session;
    const given = request.query.phone_number;
    const phone = typeof given === 'string' && given !== '' ? normalisePhone(given) : null;
    const invalidPhone = typeof given === 'string' && given !== '' && phone === null;
    if (invalidPhone && wantsJson(request)) {
      throw new HttpProblem('validation_failed', [
        { path: 'phone_number', message: 'The phone number format is invalid.' },
      ]);
    }
    const view = await getCheckoutPage(deps, id, phone);
    if (!view.ok) {
      if (wantsJson(request)) return send(reply, renderPointsDomainError(view.error));
      return sendHtml(
        reply,
        404,
        page('Checkout not found', '<p>This checkout does not exist.</p>'),
      );
    }
    if (wantsJson(request)) return pageJson(view.value);
    const error = invalidPhone ? 'The phone number format is invalid.' : null;
    return sendHtml(reply, 200, checkoutHtml(view.value, action(id), error));
  });

  app.post<SessionParams>('/points/pay/:session', NOT_AN_API, async (request, reply) => {
    const id = request.params.session;
    if (wantsJson(request)) {
      const values = parseBody(request.body, payFields);
      const useCase = confirmCheckout({
        sessionId: id,
        phone: values['phone_number'] as string,
        redeemPoints: values['redeem_points'] as number,
      });
      return respond(deps, request, reply, useCase, {
        // The session is the customer's credential; its keys are its own.
        scope: `points-pay:${id}`,
        render: (confirmed) => ({
          status: 200,
          body: {
            order_uuid: confirmed.order.id,
            redirect_url: redirectUrl(confirmed, pageUrl(id)),
          },
        }),
        renderError: (error) => renderPointsDomainError(error),
      });
    }
    // A browser's form post: answer with a page or a redirect, never JSON.
    const { values, issues } = validate(request.body, payFields);
    const phone =
      typeof values['phone_number'] === 'string' ? normalisePhone(values['phone_number']) : null;
    if (issues.length > 0 || phone === null) {
      return htmlError(reply, id, issues[0]?.message ?? 'The phone number format is invalid.', 422);
    }
    const confirmed = await execute(
      deps,
      confirmCheckout({ sessionId: id, phone, redeemPoints: values['redeem_points'] as number }),
    );
    if (!confirmed.ok) {
      return htmlError(reply, id, confirmed.error, renderPointsDomainError(confirmed.error).status);
    }
    return reply
      .code(303)
      .header('location', redirectUrl(confirmed.value, pageUrl(id)))
      .send();
  });
}
