/**
 * Backd's refund requests at `/backd/refund`: POST submits one (declining and replacing an
 * unlocked active one), DELETE declines the active, unlocked one.
 */
import type { FastifyInstance } from 'fastify';
import { deleteRefundRequest, submitRefundRequest } from '../../../../app/backd-refund-requests.js';
import { callerOf, credentialActor } from '../../../caller.js';
import type { FieldIssue } from '../../../faces.js';
import { parseOrThrow } from '../../../validation.js';
import { deleteRefundSchema, minorOf, refundSchema, throwIssues } from '../schemas.js';
import { type BackdRouteContext, doc, withRefunds, write } from './shared.js';

function submitRoute(app: FastifyInstance, { deps }: BackdRouteContext): void {
  app.post(
    '/refund',
    doc(
      'Submit a refund request (declines and replaces an unlocked active one)',
      refundSchema,
      'Refunds',
    ),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(refundSchema, request.body);
      const issues: FieldIssue[] = [];
      const amountMinor = minorOf(
        body.refund_amount,
        caller.merchant.currency,
        'refund_amount',
        issues,
      );
      throwIssues(issues);
      const useCase = submitRefundRequest({
        merchantId: caller.merchant.id,
        backdOrderId: body.backd_order_id,
        merchantOrderId: body.merchant_order_id,
        actor: credentialActor(caller),
        amountMinor,
        holidays: caller.merchant.settings.holidays,
      });
      const answer = { message: 'Refund request submitted.', shape: withRefunds };
      return write(deps, request, reply, useCase, answer);
    },
  );
}

function deleteRoute(app: FastifyInstance, { deps }: BackdRouteContext): void {
  app.delete(
    '/refund',
    doc('Delete (decline) the active, unlocked refund request', deleteRefundSchema, 'Refunds'),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(deleteRefundSchema, request.body);
      const useCase = deleteRefundRequest({
        merchantId: caller.merchant.id,
        backdOrderId: body.backd_order_id,
        ...(body.merchant_order_id !== undefined
          ? { merchantOrderId: body.merchant_order_id }
          : {}),
        actor: credentialActor(caller),
      });
      const answer = { message: 'Refund request deleted (declined).', shape: withRefunds };
      return write(deps, request, reply, useCase, answer);
    },
  );
}

export function refundRoutes(app: FastifyInstance, context: BackdRouteContext): void {
  submitRoute(app, context);
  deleteRoute(app, context);
}
