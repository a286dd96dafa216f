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
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findBackdOrderByToken, selectBackdTerms } from '../../../../app/backd-orders.js';
import { answering, type AppDeps, execute } from '../../../../app/context.js';
import { hostedPageKeyScope } from '../../../../app/idempotency.js';
import { hashSecret } from '../../../../app/secrets.js';
import { withQueryParams } from '../../../../domain/urls.js';
import { send } from '../../../faces.js';
import { isCrossSitePost, registerFormParser, sendHtml, wantsJson } from '../../../hosted-page.js';
import { secretRoute } from '../../../log-redaction.js';
import { documented } from '../../../openapi.js';
import { respond } from '../../../respond.js';
import { parseOrThrow } from '../../../validation.js';
import { backdErrorOf, failure, renderBackdDomainError } from '../errors.js';
import type { BackdRouteContext } from '../routes/shared.js';
import { termsSchema } from '../schemas.js';
import { choosing, notFoundPage, page, termsPage } from './html.js';

/** A terms form is a few bytes; nothing bigger is read. */
const FORM_BODY_LIMIT_BYTES = 4096;

/** Tokens are 32 random bytes in base64url. Anything else cannot be one: 404 without a lookup. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

type Params = { Params: { token: string } };
type TokenRequest = FastifyRequest<Params>;

// The page itself is a hosted page, not part of the API; its JSON POST is documented.
// The token in the path is the buyer's credential (src/http/log-redaction.ts).
function showRoute(app: FastifyInstance, { deps }: BackdRouteContext): void {
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
}

/** A script's choice (`Accept: application/json`), answered in JSON. */
async function selectTermsJson(deps: AppDeps, request: TokenRequest, reply: FastifyReply) {
  const token = request.params.token;
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

/** A browser's form post: a redirect to the merchant's success URL, or the page again. */
async function selectTermsForm(deps: AppDeps, request: TokenRequest, reply: FastifyReply) {
  const token = request.params.token;
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
}

function selectRoute(app: FastifyInstance, { deps, publicUrl }: BackdRouteContext): void {
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
      if (isCrossSitePost(request, publicUrl)) {
        const message = 'This form can only be sent from the terms page itself.';
        if (wantsJson(request)) return send(reply, { status: 403, body: failure(403, message) });
        return sendHtml(
          reply,
          403,
          page('Payment terms', `<p class="error" role="alert">${message}</p>`),
        );
      }
      if (wantsJson(request)) return selectTermsJson(deps, request, reply);
      return selectTermsForm(deps, request, reply);
    },
  );
}

export async function checkoutPageRoutes(
  app: FastifyInstance,
  options: BackdRouteContext,
): Promise<void> {
  // The terms form posts application/x-www-form-urlencoded; only these routes accept it.
  registerFormParser(app, FORM_BODY_LIMIT_BYTES);
  showRoute(app, options);
  selectRoute(app, options);
}
