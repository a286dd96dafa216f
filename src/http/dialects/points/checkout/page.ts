/**
 * The hosted checkout at PUBLIC_URL/points/pay/{session} (docs/dialects/points.md "Hosted
 * checkout"). A plain server-rendered page in three steps, each a form posting to its own path:
 * the customer types a phone (`/code` sends a one-time code), types the code (`/verify` checks
 * it and only then shows the balance), and chooses the points to spend (`POST` on the page, with
 * the verification token the previous step put in the form). `/cancel` leaves without paying.
 *
 * The same paths answer JSON (`Accept: application/json`, or a JSON body) for scripts. Form posts
 * another site made a browser send are refused; code requests and code checks count against the
 * client address's hourly limit (kit.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answering, type AppDeps, execute } from '../../../../app/context.js';
import { hostedPageKeyScope } from '../../../../app/idempotency.js';
import {
  cancelCheckout,
  confirmCheckout,
  type ConfirmedCheckout,
  getCheckoutPage,
  getVerifiedCustomer,
} from '../../../../app/points-checkout.js';
import {
  type CheckoutOptions,
  sendCheckoutCode,
  verifyCheckoutCode,
} from '../../../../app/points-checkout-codes.js';
import { formatMinor } from '../../../../domain/money.js';
import { normalisePhone, pointsStatusOf } from '../../../../domain/points.js';
import { NO_ACCOUNT_MESSAGE, parseCheckoutCode } from '../../../../domain/points-checkout.js';
import { send } from '../../../faces.js';
import { sendHtml, wantsJson } from '../../../hosted-page.js';
import { secretRoute } from '../../../log-redaction.js';
import { respond } from '../../../respond.js';
import { closedCheckoutHtml, notFoundHtml, openCheckoutHtml, stepPaths } from './html.js';
import { attemptsLeftText, checkoutLang, sayMessage } from './text.js';
import {
  type CheckoutKit,
  checkoutKit,
  codeOrPhoneStep,
  type OpenPage,
  phoneStep,
  renderRefusal,
  type StepOf,
} from './kit.js';
import { pointsError, renderPointsDomainError, VALIDATION_MESSAGE } from '../errors.js';
import { envelope } from '../render.js';
import { codeFields, parseBody, payFields, verifyFields } from '../schemas/index.js';
import { validate } from '../schemas/laravel.js';

/** The hosted page is for customers' browsers, not part of the Points API document. */
// Not an API; the session id in the path is the customer's credential (src/http/log-redaction.ts).
const NOT_AN_API = secretRoute({ config: { openapi: false as const } }, 'session');

type SessionRequest = FastifyRequest<{ Params: { session: string } }>;

const INCORRECT_MESSAGE = 'The verification code is incorrect.';
const LAST_INCORRECT_MESSAGE =
  'Too many incorrect codes. This checkout session has been cancelled.';

/**
 * Where the customer goes after paying: the merchant's callback, told the order. The callback
 * was stored normalised (src/domain/urls.ts), so the answer is a header-safe href; a stored value
 * that is no URL throws, and both callers build this inside the confirming transaction, which a
 * throw rolls back.
 */
export function redirectUrl(confirmed: ConfirmedCheckout, pageUrl: string): string {
  const callback = confirmed.session.callbackUrl;
  if (callback === null) return pageUrl;
  const url = new URL(callback);
  url.searchParams.set('order_uuid', confirmed.order.id);
  url.searchParams.set('order_number', confirmed.session.orderNumber);
  // The order's Points status as the merchant's `checkout_capture` left it (approved, …).
  url.searchParams.set('status', pointsStatusOf(confirmed.order));
  return url.toString();
}

/** Where the customer goes after cancelling: the merchant's callback, told so. */
function cancelledUrl(session: { callbackUrl: string | null; orderNumber: string }, page: string) {
  if (session.callbackUrl === null) return page;
  const url = new URL(session.callbackUrl);
  url.searchParams.set('order_number', session.orderNumber);
  url.searchParams.set('status', 'cancelled');
  return url.toString();
}

const orderJson = (view: OpenPage) => {
  const s = view.session;
  return {
    status: 'open',
    order_number: s.orderNumber,
    merchant_name: view.merchantName,
    total_price: Number(formatMinor(s.amountMinor, s.currency)),
    sar_per_point: Number(formatMinor(view.minorPerPoint, s.currency)),
  };
};

/** GET: the order and the phone form while open; only the state once closed. */
async function showPage(kit: CheckoutKit, request: SessionRequest, reply: FastifyReply) {
  const id = request.params.session;
  const view = await getCheckoutPage(kit.deps, id);
  if (!view.ok) {
    if (wantsJson(request)) return send(reply, renderPointsDomainError(view.error));
    return sendHtml(reply, 404, notFoundHtml(checkoutLang(request.query)));
  }
  const v = view.value;
  if (wantsJson(request)) return envelope(v.state === 'open' ? orderJson(v) : { status: v.state });
  const paths = stepPaths(id, checkoutLang(request.query));
  if (v.state !== 'open') return sendHtml(reply, 200, closedCheckoutHtml(v.state, paths));
  return sendHtml(reply, 200, openCheckoutHtml(v, paths, phoneStep(null)(v), null));
}

/** Step 1: a code for the typed phone. */
async function requestCode(kit: CheckoutKit, request: SessionRequest, reply: FastifyReply) {
  const refused = kit.admit(request, reply, true);
  if (refused) return refused;
  const id = request.params.session;
  const typed = (request.body as Record<string, unknown> | null | undefined)?.['phone_number'];
  const back = phoneStep(typeof typed === 'string' ? typed.slice(0, 32) : null);
  let phone: string;
  if (wantsJson(request)) {
    phone = parseBody(request.body, codeFields)['phone_number'] as string;
  } else {
    const { values, issues } = validate(request.body, codeFields);
    const given = typeof values['phone_number'] === 'string' ? values['phone_number'] : '';
    const parsed = issues.length === 0 ? normalisePhone(given) : null;
    if (parsed === null) {
      const message = issues[0]?.message ?? 'The phone number format is invalid.';
      return kit.page(reply, id, 422, back, sayMessage(checkoutLang(request.query), message));
    }
    phone = parsed;
  }
  const sent = await sendCheckoutCode(kit.deps, kit.options.senders, {
    sessionId: id,
    phone,
    policy: kit.options.policy,
  });
  if (!sent.ok) {
    if (sent.error.code === 'points.checkout_code_not_sent') {
      request.log.warn({ reason: sent.error.details?.['reason'] }, 'checkout code not sent');
    }
    return kit.refuse(request, reply, renderRefusal(sent.error), back);
  }
  const { phone: to, expiresAt } = sent.value;
  if (wantsJson(request)) {
    const expires_at = new Date(expiresAt).toISOString();
    return envelope({ status: 'code_sent', phone_number: to, expires_at });
  }
  return kit.page(reply, id, 200, () => ({ kind: 'code', phone: to, expiresAt }), null);
}

/** Step 2: the code; only a right one shows the wallet. */
async function verifyCode(kit: CheckoutKit, request: SessionRequest, reply: FastifyReply) {
  const refused = kit.admit(request, reply, true);
  if (refused) return refused;
  const id = request.params.session;
  const json = wantsJson(request);
  const raw = json
    ? parseBody(request.body, verifyFields)['code']
    : validate(request.body, verifyFields).values['code'];
  const code = parseCheckoutCode(raw);
  if (code === null) {
    const errors = { code: ['The code must be 6 digits.'] };
    return kit.refuse(
      request,
      reply,
      pointsError(422, VALIDATION_MESSAGE, { errors }),
      codeOrPhoneStep,
    );
  }
  const result = await execute(kit.deps, verifyCheckoutCode(id, code, kit.options.policy));
  if (!result.ok) {
    const back = result.error.code === 'points.phone_limited' ? codeOrPhoneStep : phoneStep(null);
    return kit.refuse(request, reply, renderRefusal(result.error), back);
  }
  const outcome = result.value;
  switch (outcome.kind) {
    case 'incorrect': {
      const message = outcome.closed ? LAST_INCORRECT_MESSAGE : INCORRECT_MESSAGE;
      if (json) {
        const appended_data = { attempts_left: outcome.attemptsLeft };
        return send(reply, pointsError(400, message, { appended_data }));
      }
      const lang = checkoutLang(request.query);
      const text = sayMessage(lang, message);
      const left = attemptsLeftText(lang, outcome.attemptsLeft);
      return kit.page(reply, id, 400, codeOrPhoneStep, outcome.closed ? text : `${text} ${left}`);
    }
    case 'no_account':
      if (json) return send(reply, pointsError(404, NO_ACCOUNT_MESSAGE));
      return kit.page(reply, id, 200, () => ({ kind: 'no_account', phone: outcome.phone }), null);
    case 'verified': {
      const { customer, verificationToken: token } = outcome;
      if (!json) return kit.page(reply, id, 200, () => ({ kind: 'wallet', customer, token }), null);
      return envelope({
        verification_token: token,
        customer: {
          phone_number: customer.phone,
          balance: customer.balance,
          max_redeem_points: customer.maxRedeemPoints,
        },
      });
    }
  }
}

/** Step 3: spend the verified phone's points; a browser is sent on to the merchant (303). */
async function pay(kit: CheckoutKit, request: SessionRequest, reply: FastifyReply) {
  const refused = kit.admit(request, reply, false);
  if (refused) return refused;
  const id = request.params.session;
  if (wantsJson(request)) {
    const values = parseBody(request.body, payFields);
    const useCase = confirmCheckout({
      sessionId: id,
      verificationToken: values['verification_token'] as string,
      redeemPoints: values['redeem_points'] as number,
    });
    return respond(kit.deps, request, reply, useCase, {
      // The session is the customer's; its keys are its own.
      scope: hostedPageKeyScope('points-pay', id),
      render: (confirmed) => ({
        status: 200,
        body: {
          order_uuid: confirmed.order.id,
          redirect_url: redirectUrl(confirmed, kit.pageUrl(id)),
        },
      }),
      renderError: (error) => renderPointsDomainError(error),
    });
  }
  const { values, issues } = validate(request.body, payFields);
  const token =
    typeof values['verification_token'] === 'string' ? values['verification_token'] : null;
  // A refused payment shows the wallet again, to the verified browser only.
  const customer = await getVerifiedCustomer(kit.deps, id, token);
  const back: StepOf = (view) =>
    customer && token ? { kind: 'wallet', customer, token } : phoneStep(null)(view);
  if (issues.length > 0) {
    return kit.page(
      reply,
      id,
      422,
      back,
      sayMessage(checkoutLang(request.query), issues[0]!.message),
    );
  }
  const redeemPoints = values['redeem_points'] as number;
  // The redirect is built inside the change's transaction: one that cannot be built undoes it.
  const location = await execute(
    kit.deps,
    answering(confirmCheckout({ sessionId: id, verificationToken: token, redeemPoints }), (c) =>
      redirectUrl(c, kit.pageUrl(id)),
    ),
  );
  if (!location.ok) return kit.refuse(request, reply, renderRefusal(location.error), back);
  return reply.code(303).header('location', location.value).send();
}

/** Leave without paying: the session closes for good. */
async function cancel(kit: CheckoutKit, request: SessionRequest, reply: FastifyReply) {
  const refused = kit.admit(request, reply, false);
  if (refused) return refused;
  const id = request.params.session;
  if (wantsJson(request)) {
    return respond(kit.deps, request, reply, cancelCheckout(id), {
      scope: hostedPageKeyScope('points-pay', id),
      render: (session) => ({
        status: 200,
        body: envelope({
          status: 'cancelled',
          redirect_url: cancelledUrl(session, kit.pageUrl(id)),
        }),
      }),
      renderError: (error) => renderPointsDomainError(error),
    });
  }
  // As with paying, the redirect is built inside the transaction that closes the session.
  const location = await execute(
    kit.deps,
    answering(cancelCheckout(id), (session) =>
      session.callbackUrl === null ? null : cancelledUrl(session, kit.pageUrl(id)),
    ),
  );
  if (!location.ok) {
    return kit.refuse(request, reply, renderRefusal(location.error), phoneStep(null));
  }
  if (location.value === null) {
    const paths = stepPaths(id, checkoutLang(request.query));
    return sendHtml(reply, 200, closedCheckoutHtml('cancelled', paths));
  }
  return reply.code(303).header('location', location.value).send();
}

export function registerCheckoutPage(
  app: FastifyInstance,
  deps: AppDeps,
  publicUrl: string,
  options: CheckoutOptions,
): void {
  const kit = checkoutKit(deps, publicUrl, options);
  type Params = { Params: { session: string } };
  app.get<Params>('/points/pay/:session', NOT_AN_API, (q, r) => showPage(kit, q, r));
  app.post<Params>('/points/pay/:session/code', NOT_AN_API, (q, r) => requestCode(kit, q, r));
  app.post<Params>('/points/pay/:session/verify', NOT_AN_API, (q, r) => verifyCode(kit, q, r));
  app.post<Params>('/points/pay/:session', NOT_AN_API, (q, r) => pay(kit, q, r));
  app.post<Params>('/points/pay/:session/cancel', NOT_AN_API, (q, r) => cancel(kit, q, r));
}
