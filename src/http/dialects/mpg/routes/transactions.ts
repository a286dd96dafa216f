/** MPG's transactions at `/mpg/v1/transactions`: reverse one whose outcome is unknown. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../app/context.js';
import { bodyIdRequest, mpgReverseTransaction } from '../../../../app/mpg-orders.js';
import { callerOf, credentialActor } from '../../../caller.js';
import { parseOrThrow } from '../../../validation.js';
import { requirePermission } from '../auth.js';
import { MPG_PREFIX } from '../errors.js';
import { mpgTransactionJson } from '../render.js';
import { mpgIssue, reverseBody } from '../schemas.js';
import { DOC_RESPONSES, notFound, type Params, pathId, write } from './shared.js';

export function transactionRoutes(app: FastifyInstance, deps: AppDeps): void {
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
      return write(deps, request, reply, useCase, bodyId, (view) =>
        view.transaction ? mpgTransactionJson(view.transaction) : null,
      );
    },
  );
}
