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
} from '../../../../app/mpg-card-auths.js';
import type { AppDeps, UseCase } from '../../../../app/context.js';
import { callerKeyScope, callerOf } from '../../../caller.js';
import { respond } from '../../../respond.js';
import { parseOrThrow } from '../../../validation.js';
import { requirePermission } from '../auth.js';
import { MPG_PREFIX, renderMpgDomainError } from '../errors.js';
import { cardAuthJson } from '../render.js';
import {
  authenticateCardAuthBody,
  challengeCardAuthBody,
  createCardAuthBody,
  mpgIssue,
} from '../schemas.js';
import { notFound, type Params, pathId } from './shared.js';

const RESPONSES = {
  200: { description: 'The card authentication' },
  401: { description: '{"message": "Missing authentication information"}' },
  403: { description: '{"message": "Unauthorized"}' },
  404: { description: '{"message": "Not found"}' },
  422: { description: '{"message": "Data validation failed", "errors": {field: [messages]}}' },
};

interface CardAuthContext {
  readonly deps: AppDeps;
  readonly publicUrl: string;
}

/** Runs a write under the merchant's Idempotency-Key scope, answering the authentication. */
const answer = (
  { deps, publicUrl }: CardAuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  useCase: UseCase<MpgCardAuth>,
  status: number,
) =>
  respond(deps, request, reply, useCase, {
    scope: callerKeyScope(callerOf(request)),
    render: (a) => ({ status, body: cardAuthJson(callerOf(request).merchant, a, publicUrl) }),
    renderError: renderMpgDomainError,
  });

function createRoute(app: FastifyInstance, context: CardAuthContext): void {
  app.post(
    `${MPG_PREFIX}/v1/3ds`,
    {
      onRequest: requirePermission(context.deps, 'orders_create'),
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
      return answer(context, request, reply, useCase, 201);
    },
  );
}

function authenticateRoute(app: FastifyInstance, context: CardAuthContext): void {
  app.post<Params>(
    `${MPG_PREFIX}/v1/3ds/:id/authenticate`,
    {
      onRequest: requirePermission(context.deps, 'orders_create'),
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
      const id = pathId(request.params.id);
      if (!id) return notFound(reply);
      const useCase = authenticateMpgCardAuth({
        merchantId: auth.merchant.id,
        id,
        returnUrl: body.return_url,
        challengePreference: body.challenge_preference,
      });
      return answer(context, request, reply, useCase, 200);
    },
  );
}

/** Unwind's stand-in for the access control server behind `challenge.url`. */
function challengeRoute(app: FastifyInstance, context: CardAuthContext): void {
  app.post<Params>(
    `${MPG_PREFIX}/v1/3ds/:id/challenge`,
    {
      onRequest: requirePermission(context.deps, 'orders_create'),
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
      const id = pathId(request.params.id);
      if (!id) return notFound(reply);
      const useCase = completeMpgCardAuthChallenge({
        merchantId: auth.merchant.id,
        id,
        passed: body.result === 'authenticated',
      });
      return answer(context, request, reply, useCase, 200);
    },
  );
}

function showRoute(app: FastifyInstance, { deps, publicUrl }: CardAuthContext): void {
  app.get<Params>(
    `${MPG_PREFIX}/v1/3ds/:id`,
    {
      onRequest: requirePermission(deps, 'orders_read'),
      config: {
        openapi: { summary: 'Show a card authentication', tag: '3-D Secure', responses: RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const id = pathId(request.params.id);
      const found = id ? await findMpgCardAuth(deps, auth.merchant.id, id) : null;
      if (!found) return notFound(reply);
      return cardAuthJson(auth.merchant, found, publicUrl);
    },
  );
}

export function cardAuthRoutes(app: FastifyInstance, deps: AppDeps, publicUrl: string): void {
  const context = { deps, publicUrl };
  createRoute(app, context);
  authenticateRoute(app, context);
  challengeRoute(app, context);
  showRoute(app, context);
}
