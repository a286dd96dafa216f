/**
 * What the hosted checkout's handlers share (page.ts): the page as it stands at a step,
 * refusals in either shape (a page for browsers, the Points envelope for scripts), and the checks
 * every post passes first (no cross-site form posts; the client address's hourly limit).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../app/context.js';
import { LIMITS } from '../../../../app/limits.js';
import { type CheckoutPage, getCheckoutPage } from '../../../../app/points-checkout.js';
import type { CheckoutOptions } from '../../../../app/points-checkout-codes.js';
import type { DomainError } from '../../../../domain/errors.js';
import { type RenderedError, send } from '../../../faces.js';
import { isCrossSitePost, sendHtml, wantsJson } from '../../../hosted-page.js';
import { RateLimiter } from '../../../rate-limit.js';
import {
  closedCheckoutHtml,
  notFoundHtml,
  openCheckoutHtml,
  type Step,
  stepPaths,
} from './html.js';
import { checkoutLang, sayMessage } from './text.js';
import { pointsError, renderPointsDomainError } from '../errors.js';

export type OpenPage = Extract<CheckoutPage, { state: 'open' }>;
/** Which step a page shows, decided from the session as it is when the page is drawn. */
export type StepOf = (view: OpenPage) => Step;

/** The phone step, prefilled with what was typed, else the phone the merchant passed. */
export const phoneStep =
  (prefill: string | null): StepOf =>
  (view) => ({ kind: 'phone', prefill: prefill ?? view.session.phone });

/** The code step while a code is pending, else the phone step. */
export const codeOrPhoneStep: StepOf = (view) =>
  view.session.codePhone !== null && view.session.codeExpiresAt !== null
    ? { kind: 'code', phone: view.session.codePhone, expiresAt: view.session.codeExpiresAt }
    : { kind: 'phone', prefill: view.session.codePhone ?? view.session.phone };

const CROSS_SITE_MESSAGE = 'This form can only be sent from the checkout page itself.';

/** The line a page shows for a refusal: a field's own message, else the error's. */
function errorText(rendered: RenderedError): string {
  const body = rendered.body as { message?: string; errors?: Record<string, string[]> };
  const field = body.errors && Object.values(body.errors)[0]?.[0];
  return field ?? body.message ?? 'Error';
}

const retryAfter = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/** A domain error in Points' shape; a phone over its limit is told when to come back. */
export function renderRefusal(error: DomainError): RenderedError {
  const rendered = renderPointsDomainError(error);
  const retryAfterMs = error.details?.['retryAfterMs'];
  if (typeof retryAfterMs !== 'number') return rendered;
  return { ...rendered, headers: { ...rendered.headers, 'retry-after': retryAfter(retryAfterMs) } };
}

export interface CheckoutKit {
  readonly deps: AppDeps;
  readonly options: CheckoutOptions;
  /** The page's absolute URL (PUBLIC_URL), where a customer without a callback is sent. */
  pageUrl(sessionId: string): string;
  /**
   * The page as it stands (open at `step`, closed, or missing) in the language the request asked
   * for, with `error` (already in that language) above the form.
   */
  page(
    reply: FastifyReply,
    sessionId: string,
    status: number,
    step: StepOf,
    error: string | null,
  ): Promise<FastifyReply>;
  /** A refusal: JSON in Points' shape, or the page at `step` with the message. */
  refuse(
    request: FastifyRequest<{ Params: { session: string } }>,
    reply: FastifyReply,
    rendered: RenderedError,
    step: StepOf,
  ): Promise<FastifyReply> | FastifyReply;
  /**
   * What every post checks first: a form another site made the browser send is refused (403);
   * `counted` steps (code requests and checks) count against the client address. Null: go on.
   */
  admit(
    request: FastifyRequest<{ Params: { session: string } }>,
    reply: FastifyReply,
    counted: boolean,
  ): Promise<FastifyReply> | FastifyReply | null;
}

export function checkoutKit(
  deps: AppDeps,
  publicUrl: string,
  options: CheckoutOptions,
): CheckoutKit {
  const addresses = new RateLimiter(
    options.addressRequestsPerHour,
    LIMITS.checkoutLimitWindowMs,
    deps.clock,
  );
  const kit: CheckoutKit = {
    deps,
    options,
    pageUrl: (id) => `${publicUrl}${stepPaths(id).page}`,
    async page(reply, id, status, step, error) {
      const lang = checkoutLang(reply.request.query);
      const view = await getCheckoutPage(deps, id);
      if (!view.ok) return sendHtml(reply, 404, notFoundHtml(lang));
      const paths = stepPaths(id, lang);
      if (view.value.state !== 'open') {
        return sendHtml(reply, status, closedCheckoutHtml(view.value.state, paths));
      }
      return sendHtml(reply, status, openCheckoutHtml(view.value, paths, step(view.value), error));
    },
    refuse(request, reply, rendered, step) {
      if (wantsJson(request)) return send(reply, rendered);
      if (rendered.headers) reply.headers(rendered.headers);
      const text = sayMessage(checkoutLang(request.query), errorText(rendered));
      return kit.page(reply, request.params.session, rendered.status, step, text);
    },
    admit(request, reply, counted) {
      if (isCrossSitePost(request, publicUrl)) {
        return kit.refuse(request, reply, pointsError(403, CROSS_SITE_MESSAGE), phoneStep(null));
      }
      if (!counted) return null;
      const retryAfterMs = addresses.take(`checkout:${request.ip}`);
      if (retryAfterMs === null) return null;
      const rendered = pointsError(
        429,
        'Too many requests from this address. Retry after the number of seconds in Retry-After.',
        {},
        { 'retry-after': retryAfter(retryAfterMs) },
      );
      return kit.refuse(request, reply, rendered, phoneStep(null));
    },
  };
  return kit;
}
