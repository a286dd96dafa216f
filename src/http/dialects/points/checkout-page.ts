/**
 * The hosted checkout at PUBLIC_URL/points/pay/{session} (docs/dialects/points.md "Hosted
 * checkout"). A plain server-rendered page in three steps, each a form posting to its own path:
 * the customer types a phone (`/code` sends a one-time code), types the code (`/verify` checks
 * it and only then shows the balance), and chooses the points to spend (`POST` on the page, with
 * the verification token the previous step put in the form). `/cancel` leaves without paying.
 *
 * The same paths answer JSON (`Accept: application/json`, or a JSON body) for scripts. Form posts
 * another site made a browser send are refused; code requests and code checks count against the
 * client address's hourly limit.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AppDeps, execute } from '../../../app/context.js';
import { LIMITS } from '../../../app/limits.js';
import {
  cancelCheckout,
  type CheckoutPage,
  confirmCheckout,
  type ConfirmedCheckout,
  getCheckoutPage,
  getVerifiedCustomer,
} from '../../../app/points-checkout.js';
import {
  type CheckoutOptions,
  sendCheckoutCode,
  verifyCheckoutCode,
} from '../../../app/points-checkout-codes.js';
import type { DomainError } from '../../../domain/errors.js';
import { formatMinor } from '../../../domain/money.js';
import { normalisePhone } from '../../../domain/points.js';
import { NO_ACCOUNT_MESSAGE, parseCheckoutCode } from '../../../domain/points-checkout.js';
import { type RenderedError, send } from '../../faces.js';
import { isCrossSitePost, sendHtml, wantsJson } from '../../hosted-page.js';
import { RateLimiter } from '../../rate-limit.js';
import { respond } from '../../respond.js';
import {
  closedCheckoutHtml,
  notFoundHtml,
  openCheckoutHtml,
  type Step,
  stepPaths,
} from './checkout-html.js';
import { pointsError, renderPointsDomainError } from './errors.js';
import { envelope } from './render.js';
import { codeFields, parseBody, payFields, verifyFields } from './schemas.js';
import { validate } from './validate.js';

/** The hosted page is for customers' browsers, not part of the Points API document. */
const NOT_AN_API = { config: { openapi: false as const } };

type SessionParams = { Params: { session: string } };
type OpenPage = Extract<CheckoutPage, { state: 'open' }>;

const CODE_FORMAT_MESSAGE = 'The code must be 6 digits.';
const PHONE_FORMAT_MESSAGE = 'The phone number format is invalid.';
const INCORRECT_MESSAGE = 'The verification code is incorrect.';
const LAST_INCORRECT_MESSAGE =
  'Too many incorrect codes. This checkout session has been cancelled.';
const CROSS_SITE_MESSAGE = 'This form can only be sent from the checkout page itself.';

/** Where the customer goes after paying: the merchant's callback, told the order. */
export function redirectUrl(confirmed: ConfirmedCheckout, pageUrl: string): string {
  const callback = confirmed.session.callbackUrl;
  if (callback === null) return pageUrl;
  const url = new URL(callback);
  url.searchParams.set('order_uuid', confirmed.order.id);
  url.searchParams.set('order_number', confirmed.session.orderNumber);
  url.searchParams.set('status', 'new');
  return url.toString();
}

/** Where the customer goes after cancelling: the merchant's callback, told so. */
function cancelledUrl(
  session: { callbackUrl: string | null; orderNumber: string },
  pageUrl: string,
) {
  if (session.callbackUrl === null) return pageUrl;
  const url = new URL(session.callbackUrl);
  url.searchParams.set('order_number', session.orderNumber);
  url.searchParams.set('status', 'cancelled');
  return url.toString();
}

/** The line a page shows for a refusal: a field's own message, else the error's. */
function errorText(rendered: RenderedError): string {
  const body = rendered.body as { message?: string; errors?: Record<string, string[]> };
  const field = body.errors && Object.values(body.errors)[0]?.[0];
  return field ?? body.message ?? 'Error';
}

/** A domain error in Points' shape; a phone over its limit is told when to come back. */
function renderRefusal(error: DomainError): RenderedError {
  const rendered = renderPointsDomainError(error);
  const retryAfterMs = error.details?.['retryAfterMs'];
  if (typeof retryAfterMs !== 'number') return rendered;
  const seconds = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return { ...rendered, headers: { ...rendered.headers, 'retry-after': seconds } };
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

export function registerCheckoutPage(
  app: FastifyInstance,
  deps: AppDeps,
  publicUrl: string,
  options: CheckoutOptions,
): void {
  const addresses = new RateLimiter(
    options.addressRequestsPerHour,
    LIMITS.checkoutLimitWindowMs,
    deps.clock,
  );
  const pageUrl = (id: string) => `${publicUrl}${stepPaths(id).page}`;
  const phoneStep =
    (prefill: string | null) =>
    (view: OpenPage): Step => ({ kind: 'phone', prefill: prefill ?? view.session.phone });
  const codeOrPhoneStep = (view: OpenPage): Step =>
    view.session.codePhone !== null && view.session.codeExpiresAt !== null
      ? { kind: 'code', phone: view.session.codePhone, expiresAt: view.session.codeExpiresAt }
      : { kind: 'phone', prefill: view.session.codePhone ?? view.session.phone };

  /** The page as it stands (open at `step`, closed, or missing) with `error` on it. */
  async function page(
    reply: FastifyReply,
    id: string,
    status: number,
    step: (view: OpenPage) => Step,
    error: string | null,
  ) {
    const view = await getCheckoutPage(deps, id);
    if (!view.ok) return sendHtml(reply, 404, notFoundHtml());
    if (view.value.state !== 'open') {
      return sendHtml(reply, status, closedCheckoutHtml(view.value.state));
    }
    const html = openCheckoutHtml(view.value, stepPaths(id), step(view.value), error);
    return sendHtml(reply, status, html);
  }

  /** A refusal: JSON in Points' shape, or the page at `step` with the message. */
  function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    rendered: RenderedError,
    step: (view: OpenPage) => Step,
  ) {
    if (wantsJson(request)) return send(reply, rendered);
    if (rendered.headers) reply.headers(rendered.headers);
    return page(
      reply,
      (request.params as { session: string }).session,
      rendered.status,
      step,
      errorText(rendered),
    );
  }

  /**
   * What every post checks first: a form another site made the browser send is refused (403);
   * `counted` steps (code requests and checks) are counted against the client address.
   */
  function admit(request: FastifyRequest, reply: FastifyReply, counted: boolean) {
    if (isCrossSitePost(request, publicUrl)) {
      return refuse(request, reply, pointsError(403, CROSS_SITE_MESSAGE), phoneStep(null));
    }
    if (!counted) return null;
    const retryAfterMs = addresses.take(`checkout:${request.ip}`);
    if (retryAfterMs === null) return null;
    const seconds = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    const rendered = pointsError(
      429,
      'Too many requests from this address. Retry after the number of seconds in Retry-After.',
      {},
      { 'retry-after': seconds },
    );
    return refuse(request, reply, rendered, phoneStep(null));
  }

  app.get<SessionParams>('/points/pay/:session', NOT_AN_API, async (request, reply) => {
    const id = request.params.session;
    const view = await getCheckoutPage(deps, id);
    if (!view.ok) {
      if (wantsJson(request)) return send(reply, renderPointsDomainError(view.error));
      return sendHtml(reply, 404, notFoundHtml());
    }
    const v = view.value;
    if (wantsJson(request))
      return envelope(v.state === 'open' ? orderJson(v) : { status: v.state });
    if (v.state !== 'open') return sendHtml(reply, 200, closedCheckoutHtml(v.state));
    return sendHtml(reply, 200, openCheckoutHtml(v, stepPaths(id), phoneStep(null)(v), null));
  });

  app.post<SessionParams>('/points/pay/:session/code', NOT_AN_API, async (request, reply) => {
    const refused = admit(request, reply, true);
    if (refused) return refused;
    const id = request.params.session;
    const typed = (request.body as Record<string, unknown> | null)?.['phone_number'];
    const prefill = phoneStep(typeof typed === 'string' ? typed.slice(0, 32) : null);
    let phone: string;
    if (wantsJson(request)) {
      phone = parseBody(request.body, codeFields)['phone_number'] as string;
    } else {
      const { values, issues } = validate(request.body, codeFields);
      const given = typeof values['phone_number'] === 'string' ? values['phone_number'] : '';
      const parsed = issues.length === 0 ? normalisePhone(given) : null;
      if (parsed === null) {
        return page(reply, id, 422, prefill, issues[0]?.message ?? PHONE_FORMAT_MESSAGE);
      }
      phone = parsed;
    }
    const sent = await sendCheckoutCode(deps, options.senders, {
      sessionId: id,
      phone,
      policy: options.policy,
    });
    if (!sent.ok) {
      if (sent.error.code === 'points.checkout_code_not_sent') {
        request.log.warn({ reason: sent.error.details?.['reason'] }, 'checkout code not sent');
      }
      return refuse(request, reply, renderRefusal(sent.error), prefill);
    }
    if (wantsJson(request)) {
      return envelope({
        status: 'code_sent',
        phone_number: sent.value.phone,
        expires_at: new Date(sent.value.expiresAt).toISOString(),
      });
    }
    const { phone: to, expiresAt } = sent.value;
    return page(reply, id, 200, () => ({ kind: 'code', phone: to, expiresAt }), null);
  });

  app.post<SessionParams>('/points/pay/:session/verify', NOT_AN_API, async (request, reply) => {
    const refused = admit(request, reply, true);
    if (refused) return refused;
    const id = request.params.session;
    const raw = wantsJson(request)
      ? parseBody(request.body, verifyFields)['code']
      : validate(request.body, verifyFields).values['code'];
    const code = parseCheckoutCode(raw);
    if (code === null) {
      const invalid = pointsError(422, 'The given data was invalid.', {
        errors: { code: [CODE_FORMAT_MESSAGE] },
      });
      return refuse(request, reply, invalid, codeOrPhoneStep);
    }
    const result = await execute(deps, verifyCheckoutCode(id, code, options.policy));
    if (!result.ok) {
      const back = result.error.code === 'points.phone_limited' ? codeOrPhoneStep : phoneStep(null);
      return refuse(request, reply, renderRefusal(result.error), back);
    }
    const outcome = result.value;
    switch (outcome.kind) {
      case 'incorrect': {
        const message = outcome.closed
          ? LAST_INCORRECT_MESSAGE
          : `${INCORRECT_MESSAGE} ${outcome.attemptsLeft} ${outcome.attemptsLeft === 1 ? 'attempt' : 'attempts'} left.`;
        const rendered = pointsError(
          400,
          outcome.closed ? LAST_INCORRECT_MESSAGE : INCORRECT_MESSAGE,
          {
            appended_data: { attempts_left: outcome.attemptsLeft },
          },
        );
        if (wantsJson(request)) return send(reply, rendered);
        return page(reply, id, 400, codeOrPhoneStep, message);
      }
      case 'no_account':
        if (wantsJson(request)) return send(reply, pointsError(404, NO_ACCOUNT_MESSAGE));
        return page(reply, id, 200, () => ({ kind: 'no_account', phone: outcome.phone }), null);
      case 'verified':
        if (wantsJson(request)) {
          return envelope({
            verification_token: outcome.verificationToken,
            customer: {
              phone_number: outcome.customer.phone,
              balance: outcome.customer.balance,
              max_redeem_points: outcome.customer.maxRedeemPoints,
            },
          });
        }
        return page(
          reply,
          id,
          200,
          () => ({ kind: 'wallet', customer: outcome.customer, token: outcome.verificationToken }),
          null,
        );
    }
  });

  app.post<SessionParams>('/points/pay/:session', NOT_AN_API, async (request, reply) => {
    const refused = admit(request, reply, false);
    if (refused) return refused;
    const id = request.params.session;
    if (wantsJson(request)) {
      const values = parseBody(request.body, payFields);
      const useCase = confirmCheckout({
        sessionId: id,
        verificationToken: values['verification_token'] as string,
        redeemPoints: values['redeem_points'] as number,
      });
      return respond(deps, request, reply, useCase, {
        // The session is the customer's; its keys are its own.
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
    const token =
      typeof values['verification_token'] === 'string' ? values['verification_token'] : null;
    const customer = await getVerifiedCustomer(deps, id, token);
    const back = (view: OpenPage): Step =>
      customer && token ? { kind: 'wallet', customer, token } : phoneStep(null)(view);
    if (issues.length > 0) return page(reply, id, 422, back, issues[0]!.message);
    const confirmed = await execute(
      deps,
      confirmCheckout({
        sessionId: id,
        verificationToken: token,
        redeemPoints: values['redeem_points'] as number,
      }),
    );
    if (!confirmed.ok) return refuse(request, reply, renderRefusal(confirmed.error), back);
    return reply
      .code(303)
      .header('location', redirectUrl(confirmed.value, pageUrl(id)))
      .send();
  });

  app.post<SessionParams>('/points/pay/:session/cancel', NOT_AN_API, async (request, reply) => {
    const refused = admit(request, reply, false);
    if (refused) return refused;
    const id = request.params.session;
    if (wantsJson(request)) {
      return respond(deps, request, reply, cancelCheckout(id), {
        scope: `points-pay:${id}`,
        render: (session) => ({
          status: 200,
          body: envelope({ status: 'cancelled', redirect_url: cancelledUrl(session, pageUrl(id)) }),
        }),
        renderError: (error) => renderPointsDomainError(error),
      });
    }
    const cancelled = await execute(deps, cancelCheckout(id));
    if (!cancelled.ok)
      return refuse(request, reply, renderRefusal(cancelled.error), phoneStep(null));
    if (cancelled.value.callbackUrl === null) {
      return sendHtml(reply, 200, closedCheckoutHtml('cancelled'));
    }
    return reply
      .code(303)
      .header('location', cancelledUrl(cancelled.value, pageUrl(id)))
      .send();
  });
}
