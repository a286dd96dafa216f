/**
 * MPG's orders at `/mpg/v1/orders`: create (purchase, authorize, verify), show, and the
 * operations capture, void, refund and extend. Each route parses its body, maps it to an MPG use
 * case, runs it under its body id (or an Idempotency-Key header), and renders the order.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppDeps, UseCase } from '../../../../app/context.js';
import {
  bodyIdRequest,
  type MpgAmountOperation,
  mpgAmountOperation,
  type MpgCreateCommand,
  mpgCreateFingerprint,
  type MpgCreateOperation,
  mpgCreateOrder,
  mpgExtendOrder,
  mpgFindOrder,
  type MpgOperationCommand,
  type MpgOrderView,
} from '../../../../app/mpg-orders.js';
import type { Authenticated } from '../../../../app/merchants.js';
import { mpgCreateOrderWithCardAuth } from '../../../../app/mpg-card-auths.js';
import type { MpgPermission } from '../../../../domain/merchant.js';
import { callerOf, credentialActor } from '../../../caller.js';
import { HttpProblem } from '../../../faces.js';
import { parseOrThrow } from '../../../validation.js';
import { requirePermission } from '../auth.js';
import { MESSAGES, MPG_PREFIX } from '../errors.js';
import { mpgOrderJson } from '../render.js';
import { amountBody, createOrderBody, extendBody, mpgIssue, verifyOrderBody } from '../schemas.js';
import { DOC_RESPONSES, notFound, orderBody, type Params, pathId, write } from './shared.js';

const CREATE_SUMMARIES: Record<MpgCreateOperation, string> = {
  purchase: 'Create an order: authorize and capture in one step',
  authorize: 'Create an order: authorize (hold) only',
  verify: 'Create an order that verifies a card (amount may be 0)',
};

const AMOUNT_SUMMARIES: Record<MpgAmountOperation, string> = {
  capture: 'Capture part or all of the authorized amount',
  void: 'Void (release) uncaptured authorized money',
  refund: 'Refund captured money',
};

type CreateBody = z.infer<typeof createOrderBody> | z.infer<typeof verifyOrderBody>;

/** The create request as the use case takes it. */
function createCommand(
  auth: Authenticated,
  operation: MpgCreateOperation,
  body: CreateBody,
): MpgCreateCommand {
  return {
    merchantId: auth.merchant.id,
    actor: credentialActor(auth),
    operation,
    ...(body.order_id ? { orderId: body.order_id } : {}),
    ...(body.transaction_id ? { transactionId: body.transaction_id } : {}),
    amountMinor: body.amount,
    currency: body.currency,
    description: body.description,
    sourceType: body.transaction_type,
    card: {
      number: body.source.number,
      month: body.source.month,
      year: body.source.year,
      securityCode: body.source.security_code,
      ...(body.source.holder ? { holder: body.source.holder } : {}),
      ...(body.source.auth ? { auth: body.source.auth } : {}),
    },
    device: { userAgent: body.device.user_agent, ipAddress: body.device.ip_address },
    airline: body.airline,
    subMerchant: body.sub_merchant,
    newAgreement: body.new_agreement,
    additionalData: body.additional_data,
  };
}

/** POST /v1/orders/{purchase,authorize,verify}. */
function createRoute(app: FastifyInstance, deps: AppDeps, operation: MpgCreateOperation): void {
  const schema = operation === 'verify' ? verifyOrderBody : createOrderBody;
  app.post(
    `${MPG_PREFIX}/v1/orders/${operation}`,
    {
      onRequest: requirePermission(deps, 'orders_create'),
      config: {
        openapi: {
          summary: CREATE_SUMMARIES[operation],
          tag: 'Orders',
          body: schema,
          responses: DOC_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const body = parseOrThrow(schema, request.body, mpgIssue);
      const cmd = createCommand(auth, operation, body);
      const idKind = body.order_id ? 'order_id' : body.transaction_id ? 'transaction_id' : null;
      const cardAuthId = body.source.card_auth_id;
      if (cardAuthId && operation === 'verify') {
        throw new HttpProblem('validation_failed', [
          { path: 'source.card_auth_id', message: MESSAGES.notAllowed },
        ]);
      }
      const bodyId = idKind
        ? bodyIdRequest(auth.merchant.id, idKind, (body.order_id ?? body.transaction_id)!, {
            request: mpgCreateFingerprint(cmd),
            ...(cardAuthId ? { cardAuthId } : {}),
          })
        : null;
      // A 3-D Secure authentication made beforehand backs purchase and authorize (G2).
      const useCase = cardAuthId
        ? mpgCreateOrderWithCardAuth(cmd, cardAuthId)
        : mpgCreateOrder(cmd);
      return write(deps, request, reply, useCase, bodyId, orderBody(request));
    },
  );
}

/** GET /v1/orders/:id. */
function showRoute(app: FastifyInstance, deps: AppDeps): void {
  app.get<Params>(
    `${MPG_PREFIX}/v1/orders/:id`,
    {
      onRequest: requirePermission(deps, 'orders_read'),
      config: { openapi: { summary: 'Show an order', tag: 'Orders', responses: DOC_RESPONSES } },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const id = pathId(request.params.id);
      const found = id && (await mpgFindOrder(deps, auth.merchant.id, id));
      if (!found) return notFound(reply);
      return mpgOrderJson(auth.merchant, found.order, found.transactions);
    },
  );
}

/** An operation on an order by its path id, with an amount (and optionally a body id). */
interface OperationRoute {
  readonly name: MpgAmountOperation | 'extend';
  readonly permission: MpgPermission;
  readonly summary: string;
  readonly body: typeof amountBody | typeof extendBody;
  readonly useCase: (cmd: MpgOperationCommand & { amountMinor: number }) => UseCase<MpgOrderView>;
}

/** POST /v1/orders/:id/{capture,void,refund,extend}. */
function operationRoute(app: FastifyInstance, deps: AppDeps, route: OperationRoute): void {
  const { name } = route;
  app.post<Params>(
    `${MPG_PREFIX}/v1/orders/:id/${name}`,
    {
      onRequest: requirePermission(deps, route.permission),
      config: {
        openapi: {
          summary: route.summary,
          tag: 'Orders',
          body: route.body,
          responses: DOC_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const body = parseOrThrow(route.body, request.body, mpgIssue);
      const orderId = pathId(request.params.id);
      if (!orderId) return notFound(reply);
      const useCase = route.useCase({
        merchantId: auth.merchant.id,
        actor: credentialActor(auth),
        orderId,
        amountMinor: body.amount,
        ...(body.transaction_id ? { transactionId: body.transaction_id } : {}),
      });
      const bodyId = body.transaction_id
        ? bodyIdRequest(auth.merchant.id, 'transaction_id', body.transaction_id, {
            operation: name,
            orderId,
            amount: body.amount,
          })
        : null;
      return write(deps, request, reply, useCase, bodyId, orderBody(request));
    },
  );
}

const amountRoute = (name: MpgAmountOperation, permission: MpgPermission): OperationRoute => ({
  name,
  permission,
  summary: AMOUNT_SUMMARIES[name],
  body: amountBody,
  useCase: (cmd) => mpgAmountOperation(name, cmd),
});

/** Creating, showing and changing orders; the list is in order-list.ts. */
export function createOrderRoutes(app: FastifyInstance, deps: AppDeps): void {
  createRoute(app, deps, 'purchase');
  createRoute(app, deps, 'authorize');
  createRoute(app, deps, 'verify');
  showRoute(app, deps);
}

export function changeOrderRoutes(app: FastifyInstance, deps: AppDeps): void {
  operationRoute(app, deps, amountRoute('capture', 'orders_capture'));
  operationRoute(app, deps, amountRoute('void', 'orders_void'));
  operationRoute(app, deps, amountRoute('refund', 'orders_refund'));
  operationRoute(app, deps, {
    name: 'extend',
    permission: 'orders_extend',
    summary: 'Extend the hold period of an authorization',
    body: extendBody,
    useCase: mpgExtendOrder,
  });
}
