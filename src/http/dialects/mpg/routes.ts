/**
 * The Moyasar Payment Gateway face at /mpg: `/mpg/v1/orders/...` and
 * `/mpg/v1/transactions/:id/reverse`. Bearer keys with permissions; each route parses its body,
 * maps it to an MPG use case, runs it under its body id (or an Idempotency-Key header), and
 * renders the order (or, for reverse, the reversal transaction).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answering, type AppDeps, execute, type UseCase } from '../../../app/context.js';
import { authenticateKey } from '../../../app/merchants.js';
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
  mpgListOrders,
  type MpgOrderEquals,
  type MpgOrderView,
  type MpgSortField,
  mpgReverseTransaction,
} from '../../../app/mpg-orders.js';
import { mpgCreateOrderWithCardAuth } from '../../../app/mpg-card-auths.js';
import { type BodyIdRequest, runWithBodyId } from '../../../app/mpg-request-ids.js';
import type { MpgPermission } from '../../../domain/merchant.js';
import { admitCaller, callerKeyScope, callerOf, credentialActor } from '../../caller.js';
import { addressMatcher } from '../../client-address.js';
import { HttpProblem, send } from '../../faces.js';
import { respond } from '../../respond.js';
import { parseOrThrow } from '../../validation.js';
import type { DialectModule } from '../registry.js';
import { registerCardAuthRoutes } from './card-auths.js';
import { MESSAGES, MPG_PREFIX, mpgFace, renderMpgDomainError } from './errors.js';
import { decodeCursor, encodeCursor, mpgOrderJson, mpgTransactionJson } from './render.js';
import {
  amountBody,
  createOrderBody,
  extendBody,
  listOrdersQuery,
  mpgIssue,
  reverseBody,
  uuid,
  verifyOrderBody,
} from './schemas.js';

type Params = { Params: { id: string } };

/**
 * `Authorization: Bearer <key>` with the route's permission (docs/decisions/mpg.md#auth); a key with an
 * IP whitelist is used only from its addresses (the client address as src/http/client-address.ts
 * sees it, behind trusted proxies too): 401 "IP is not in the IP whitelist" otherwise.
 */
const requirePermission =
  (deps: AppDeps, permission: MpgPermission) =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (!header) throw new HttpProblem('auth_missing');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpProblem('auth_missing');
    const auth = await authenticateKey(deps, 'mpg', 'api_key', match[1]!);
    if (!auth) throw new HttpProblem('auth_invalid');
    admitCaller(request, auth);
    const whitelist = auth.credential.ipWhitelist;
    if (whitelist !== null && !addressMatcher(whitelist)(request.ip)) {
      return reply.code(401).send({ message: MESSAGES.ipNotWhitelisted });
    }
    if (!auth.credential.permissions.includes(permission)) throw new HttpProblem('forbidden');
    return undefined;
  };

/** A path id that is not a UUID names no order or transaction. */
const pathId = (raw: string): string | null => {
  const parsed = uuid.safeParse(raw);
  return parsed.success ? parsed.data : null;
};

const notFound = (reply: FastifyReply) => reply.code(404).send({ message: MESSAGES.notFound });

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

const DOC_RESPONSES = {
  200: { description: 'The order, with its transactions' },
  400: { description: '{"message": "Initial request is still processing."}' },
  401: { description: '{"message": "Missing authentication information"}' },
  403: { description: '{"message": "Unauthorized"}' },
  404: { description: '{"message": "Not found"}' },
  422: { description: '{"message": "Data validation failed", "errors": {field: [messages]}}' },
};

async function register(
  app: FastifyInstance,
  { deps, publicUrl }: { deps: AppDeps; publicUrl: string },
): Promise<void> {
  registerCardAuthRoutes(app, deps, publicUrl, (permission) => requirePermission(deps, permission));

  /**
   * Runs a write: under the Idempotency-Key header when one is sent
   * (docs/decisions/general.md#idempotency-key), else under the body id when the client sent one,
   * else once.
   */
  async function write(
    request: FastifyRequest,
    reply: FastifyReply,
    useCase: UseCase<MpgOrderView>,
    bodyId: BodyIdRequest | null,
    render: (view: MpgOrderView) => unknown,
  ): Promise<FastifyReply> {
    const auth = callerOf(request);
    if (typeof request.headers['idempotency-key'] === 'string') {
      return respond(deps, request, reply, useCase, {
        scope: callerKeyScope(auth),
        render: (view) => ({ status: 200, body: render(view) }),
        renderError: (error) => renderMpgDomainError(error),
      });
    }
    // The answer is built inside the change's transaction: one that cannot be built undoes it.
    const answered = answering(useCase, (view) => ({ orderId: view.order.id, body: render(view) }));
    const result = bodyId
      ? await runWithBodyId(deps, bodyId, answered, (answer) => answer.orderId)
      : await execute(deps, answered);
    if (!result.ok) return send(reply, renderMpgDomainError(result.error));
    return reply.code(200).send(result.value.body);
  }

  const orderBody = (request: FastifyRequest) => (view: MpgOrderView) =>
    mpgOrderJson(callerOf(request).merchant, view.order, view.transactions);

  const create = (operation: MpgCreateOperation) =>
    app.post(
      `${MPG_PREFIX}/v1/orders/${operation}`,
      {
        onRequest: requirePermission(deps, 'orders_create'),
        config: {
          openapi: {
            summary: CREATE_SUMMARIES[operation],
            tag: 'Orders',
            body: operation === 'verify' ? verifyOrderBody : createOrderBody,
            responses: DOC_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const body = parseOrThrow(
          operation === 'verify' ? verifyOrderBody : createOrderBody,
          request.body,
          mpgIssue,
        );
        const cmd: MpgCreateCommand = {
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
        return write(request, reply, useCase, bodyId, orderBody(request));
      },
    );
  create('purchase');
  create('authorize');
  create('verify');

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

  app.get(
    `${MPG_PREFIX}/v1/orders`,
    {
      onRequest: requirePermission(deps, 'orders_read'),
      config: {
        openapi: {
          summary: 'List orders (filters, sorting, countless pagination by page or cursor)',
          tag: 'Orders',
          query: listOrdersQuery,
        },
      },
    },
    async (request) => {
      const auth = callerOf(request);
      const q = parseOrThrow(listOrdersQuery, request.query, mpgIssue);
      const decoded = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      // The cursor's value is compared with the sort column, so its type must be that column's
      // (a text value against an amount fails the query on PostgreSQL).
      const after =
        decoded && typeof decoded.value === SORT_VALUE_TYPES[q['sort[field]']] ? decoded : null;
      if (decoded !== undefined && after === null) {
        throw new HttpProblem('validation_failed', [
          { path: 'cursor', message: 'The value is not a valid cursor.' },
        ]);
      }
      if (q.page !== undefined && q.cursor !== undefined) {
        throw new HttpProblem('validation_failed', [
          { path: 'page', message: 'The value cannot be combined with cursor.' },
        ]);
      }
      // Countless pagination by page number (G3), or Unwind's keyset cursor for deep lists.
      const pageNumber = after ? null : (q.page ?? 1);
      const pageMeta = (more: boolean) => ({
        current_page: pageNumber,
        next_page: pageNumber !== null && more ? pageNumber + 1 : null,
        prev_page: pageNumber !== null && pageNumber > 1 ? pageNumber - 1 : null,
        items: q.items,
      });
      // Unwind records no terminal, forwarder, issuer, country or card type: such a filter
      // matches no order.
      const unrecorded = [q.terminal_id, q.forwarder_id, q.issuer_id, q.country, q.card_type];
      if (unrecorded.some((v) => v !== undefined) || q.issuer !== undefined) {
        return { orders: [], meta: { ...pageMeta(false), next_cursor: null } };
      }
      const equals: MpgOrderEquals = {
        id: q.id,
        currency: q.currency,
        description: q.description,
        sourceType: q.source_type,
        scheme: q.scheme,
        firstDigits: q.first_digits,
        lastDigits: q.last_digits,
        subMerchantId: q.sub_merchant_id,
        deviceIp: q.device_ip,
        agreementId: q.agreement_id,
        retrievalReference: q.retrieval_reference,
        stan: q.stan,
        authCode: q.auth_code,
        responseCode: q.response_code,
      };
      const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
      const sortField: MpgSortField = q['sort[field]'];
      const page = await mpgListOrders(deps, {
        merchantId: auth.merchant.id,
        equals: defined(equals),
        ...defined({
          amountGte: q['amount[gte]'],
          amountLte: q['amount[lte]'],
          createdGte: ms(q['created_at[gte]']),
          createdLte: ms(q['created_at[lte]']),
          updatedGte: ms(q['updated_at[gte]']),
          updatedLte: ms(q['updated_at[lte]']),
        }),
        sortField,
        sortDir: q['sort[dir]'],
        ...(after ? { after } : {}),
        offset: pageNumber === null ? 0 : (pageNumber - 1) * q.items,
        // One more than asked tells whether another page exists, without counting.
        limit: q.items + 1,
      });
      const shown = page.slice(0, q.items);
      const last = shown.at(-1);
      return {
        orders: shown.map((o) => mpgOrderJson(auth.merchant, o.order, o.transactions)),
        meta: {
          ...pageMeta(page.length > q.items),
          next_cursor:
            last && page.length > q.items
              ? encodeCursor(sortValue(last.order, sortField), last.order.id)
              : null,
        },
      };
    },
  );

  const operation = (name: MpgAmountOperation, permission: MpgPermission) =>
    app.post<Params>(
      `${MPG_PREFIX}/v1/orders/:id/${name}`,
      {
        onRequest: requirePermission(deps, permission),
        config: {
          openapi: {
            summary: AMOUNT_SUMMARIES[name],
            tag: 'Orders',
            body: amountBody,
            responses: DOC_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const body = parseOrThrow(amountBody, request.body, mpgIssue);
        const orderId = pathId(request.params.id);
        if (!orderId) return notFound(reply);
        const useCase = mpgAmountOperation(name, {
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
        return write(request, reply, useCase, bodyId, orderBody(request));
      },
    );
  operation('capture', 'orders_capture');
  operation('void', 'orders_void');
  operation('refund', 'orders_refund');

  app.post<Params>(
    `${MPG_PREFIX}/v1/orders/:id/extend`,
    {
      onRequest: requirePermission(deps, 'orders_extend'),
      config: {
        openapi: {
          summary: 'Extend the hold period of an authorization',
          tag: 'Orders',
          body: extendBody,
          responses: DOC_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const body = parseOrThrow(extendBody, request.body, mpgIssue);
      const orderId = pathId(request.params.id);
      if (!orderId) return notFound(reply);
      const useCase = mpgExtendOrder({
        merchantId: auth.merchant.id,
        actor: credentialActor(auth),
        orderId,
        amountMinor: body.amount,
        ...(body.transaction_id ? { transactionId: body.transaction_id } : {}),
      });
      const bodyId = body.transaction_id
        ? bodyIdRequest(auth.merchant.id, 'transaction_id', body.transaction_id, {
            operation: 'extend',
            orderId,
            amount: body.amount,
          })
        : null;
      return write(request, reply, useCase, bodyId, orderBody(request));
    },
  );

  app.post<Params>(
    `${MPG_PREFIX}/v1/transactions/:id/reverse`,
    {
      onRequest: requirePermission(deps, 'transactions_reverse'),
      config: {
        openapi: {
          summary: 'Reverse a transaction whose outcome is unknown',
          tag: 'Transactions',
          body: reverseBody,
          responses: DOC_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const body = parseOrThrow(reverseBody, request.body, mpgIssue);
      const targetId = pathId(request.params.id);
      if (!targetId) return notFound(reply);
      const useCase = mpgReverseTransaction({
        merchantId: auth.merchant.id,
        actor: credentialActor(auth),
        targetId,
        reason: body.reason,
        ...(body.transaction_id ? { transactionId: body.transaction_id } : {}),
      });
      const bodyId = body.transaction_id
        ? bodyIdRequest(auth.merchant.id, 'transaction_id', body.transaction_id, {
            operation: 'reverse',
            targetId,
            reason: body.reason,
          })
        : null;
      // G3: "Reversal submitted." answers with the reversal transaction.
      return write(request, reply, useCase, bodyId, (view) =>
        view.transaction ? mpgTransactionJson(view.transaction) : null,
      );
    },
  );
}

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const SORT_VALUE_TYPES = {
  merchant_id: 'string',
  amount: 'number',
  captured_amount: 'number',
  refunded_amount: 'number',
  currency: 'string',
  created_at: 'number',
  updated_at: 'number',
} as const satisfies Record<MpgSortField, 'number' | 'string'>;

function sortValue(order: MpgOrderView['order'], field: MpgSortField): number | string {
  switch (field) {
    case 'merchant_id':
      return order.merchantId;
    case 'amount':
      return order.amountMinor;
    case 'captured_amount':
      return order.capturedMinor;
    case 'refunded_amount':
      return order.refundedMinor;
    case 'currency':
      return order.currency;
    case 'created_at':
      return order.createdAt;
    case 'updated_at':
      return order.updatedAt;
  }
}

export const mpgDialect: DialectModule = {
  face: mpgFace,
  openapi: {
    name: 'mpg',
    title: 'Moyasar Payment Gateway (MPG), as served by Unwind',
    description:
      'Card orders in integer minor units: purchase, authorize, verify, capture, void, refund, extend, reverse; idempotent by body ids.',
    security: { type: 'http', scheme: 'bearer', description: 'The merchant MPG API key' },
  },
  register: (app, context) => register(app, context),
};
