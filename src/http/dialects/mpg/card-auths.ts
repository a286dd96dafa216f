/**
 * MPG's card authentications (3-D Secure) at `/mpg/v1/3ds`: create (G2's create page), authenticate
 * and show (G2's show page), in the show page's object and key order. The permissions are G3's
 * acquirer `3ds_read` for reads and `orders_create` for writes (docs/dialects/mpg.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  authenticateMpgCardAuth,
  completeMpgCardAuthChallenge,
  createMpgCardAuth,
  findMpgCardAuth,
  type MpgCardAuth,
} from '../../../app/mpg-card-auths.js';
import { type AppDeps, type UseCase } from '../../../app/context.js';
import type { Merchant } from '../../../domain/merchant.js';
import { callerKeyScope, callerOf } from '../../caller.js';
import { respond } from '../../respond.js';
import { parseOrThrow } from '../../validation.js';
import { MESSAGES, MPG_PREFIX, renderMpgDomainError } from './errors.js';
import { isoSeconds, mpgMerchantJson } from './render.js';
import {
  authenticateCardAuthBody,
  challengeCardAuthBody,
  createCardAuthBody,
  mpgIssue,
  uuid,
} from './schemas.js';

export const cardAuthJson = (merchant: Merchant, a: MpgCardAuth, publicUrl: string) => ({
  id: a.id,
  merchant: mpgMerchantJson(merchant),
  status: a.status,
  amount: a.amountMinor,
  currency: a.currency,
  return_url: a.returnUrl,
  message: a.message,
  failure_reason: a.failureReason,
  challenge_preference: a.challengePreference,
  is_frictionless: a.isFrictionless,
  challenge: a.challenge
    ? { url: `${publicUrl}${a.challenge['url'] ?? ''}`, creq: a.challenge['creq'] ?? '' }
    : null,
  auth: a.auth,
  created_at: isoSeconds(a.createdAt),
  updated_at: isoSeconds(a.updatedAt),
});

const RESPONSES = {
  200: { description: 'The card authentication' },
  401: { description: '{"message": "Missing authentication information"}' },
  403: { description: '{"message": "Unauthorized"}' },
  404: { description: '{"message": "Not found"}' },
  422: { description: '{"message": "Data validation failed", "errors": {field: [messages]}}' },
};

type Params = { Params: { id: string } };
type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export function registerCardAuthRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  publicUrl: string,
  guard: (permission: 'orders_create' | 'orders_read') => Guard,
): void {
  const render = (request: FastifyRequest, status: number) => (a: MpgCardAuth) => ({
    status,
    body: cardAuthJson(callerOf(request).merchant, a, publicUrl),
  });
  const notFound = (reply: FastifyReply) => reply.code(404).send({ message: MESSAGES.notFound });
  /** Runs a write under the merchant's Idempotency-Key scope, answering the authentication. */
  const answer = (
    request: FastifyRequest,
    reply: FastifyReply,
    useCase: UseCase<MpgCardAuth>,
    status: number,
  ) =>
    respond(deps, request, reply, useCase, {
      scope: callerKeyScope(callerOf(request)),
      render: render(request, status),
      renderError: renderMpgDomainError,
    });

  app.post(
    `${MPG_PREFIX}/v1/3ds`,
    {
      onRequest: guard('orders_create'),
      config: {
        openapi: {
          summary: 'Create a card authentication (3-D Secure) for a card and an amount',
          tag: '3-D Secure',
          body: createCardAuthBody,
          responses: { ...RESPONSES, 201: { description: 'The card authentication' } },
        },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const body = parseOrThrow(createCardAuthBody, request.body, mpgIssue);
      const useCase = createMpgCardAuth({
        merchantId: auth.merchant.id,
        id: body.card_auth_id,
        amountMinor: body.amount,
        currency: body.currency,
        card: { number: body.number, month: body.month, year: body.year },
        returnUrl: body.return_url ?? null,
        challengePreference: body.challenge_preference,
      });
      return answer(request, reply, useCase, 201);
    },
  );

  app.post<Params>(
    `${MPG_PREFIX}/v1/3ds/:id/authenticate`,
    {
      onRequest: guard('orders_create'),
      config: {
        openapi: {
          summary: 'Authenticate an available card authentication',
          tag: '3-D Secure',
          body: authenticateCardAuthBody,
          responses: RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const body = parseOrThrow(authenticateCardAuthBody, request.body ?? {}, mpgIssue);
      const id = uuid.safeParse(request.params.id);
      if (!id.success) return notFound(reply);
      const useCase = authenticateMpgCardAuth({
        merchantId: auth.merchant.id,
        id: id.data,
        returnUrl: body.return_url,
        challengePreference: body.challenge_preference,
      });
      return answer(request, reply, useCase, 200);
    },
  );

  // Unwind's stand-in for the access control server behind `challenge.url`.
  app.post<Params>(
    `${MPG_PREFIX}/v1/3ds/:id/challenge`,
    {
      onRequest: guard('orders_create'),
      config: {
        openapi: {
          summary: "Complete a challenge as the cardholder would (Unwind's simulator)",
          tag: '3-D Secure',
          body: challengeCardAuthBody,
          responses: RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const body = parseOrThrow(challengeCardAuthBody, request.body, mpgIssue);
      const id = uuid.safeParse(request.params.id);
      if (!id.success) return notFound(reply);
      const useCase = completeMpgCardAuthChallenge({
        merchantId: auth.merchant.id,
        id: id.data,
        passed: body.result === 'authenticated',
      });
      return answer(request, reply, useCase, 200);
    },
  );

  app.get<Params>(
    `${MPG_PREFIX}/v1/3ds/:id`,
    {
      onRequest: guard('orders_read'),
      config: {
        openapi: { summary: 'Show a card authentication', tag: '3-D Secure', responses: RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const id = uuid.safeParse(request.params.id);
      const found = id.success ? await findMpgCardAuth(deps, auth.merchant.id, id.data) : null;
      if (!found) return notFound(reply);
      return cardAuthJson(auth.merchant, found, publicUrl);
    },
  );
}
