/**
 * Admin: four-eyes refund approvals (src/app/refund-approvals.ts). A refund above the threshold
 * answers 202 with a pending approval; a second operator approves (the refund runs then) or
 * declines it here.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { type AppDeps } from '../../app/context.js';
import {
  decideRefund,
  listRefundApprovals,
  type RefundApproval,
} from '../../app/refund-approvals.js';
import { APPROVAL_STATES, approvalState } from '../../domain/operators.js';
import { LIMITS } from '../../app/limits.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { principalOf, requires } from './authorize.js';
import { orderJson } from './render.js';
import { respond } from './respond.js';
import { pageLimit } from './schemas.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An approval as the API shows it; `state` is `expired` once its time has passed undecided. */
export const approvalJson = (a: RefundApproval, now: number) => ({
  id: a.id,
  merchant_id: a.merchantId,
  order_id: a.orderId,
  amount_minor: a.amountMinor,
  currency: a.currency,
  reason: a.reason,
  state: approvalState(a.state, a.expiresAt, now),
  requested_by: a.requestedBy,
  decided_by: a.decidedBy,
  decision_reason: a.decisionReason,
  decided_at: iso(a.decidedAt),
  expires_at: iso(a.expiresAt),
  created_at: iso(a.createdAt),
});

const listQuery = z.strictObject({
  state: z.enum(['pending', 'all']).default('pending'),
  order_id: z.string().min(1).max(64).optional(),
  limit: pageLimit,
});
const decisionSchema = z.strictObject({
  reason: z.string().max(LIMITS.reasonLengthMax).nullable().optional(),
});

type IdParams = { Params: { id: string } };

export const approvalRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/approvals',
    documented({
      summary: 'Four-eyes refund approvals, newest first: pending (default) or all',
      description: `States: ${APPROVAL_STATES.join(', ')}.`,
      tag: 'Approvals',
      query: listQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listQuery, request.query);
      const { approvals, now } = await listRefundApprovals(deps, {
        pendingOnly: q.state === 'pending',
        limit: q.limit,
        ...(q.order_id ? { orderId: q.order_id } : {}),
      });
      return { data: approvals.map((a) => approvalJson(a, now)) };
    },
  );

  const decide = (path: 'approve' | 'decline') =>
    app.post<IdParams>(
      `/approvals/:id/${path}`,
      requires(
        'orders',
        documented({
          summary:
            path === 'approve'
              ? 'Approve a pending refund: it runs now, in the same transaction'
              : 'Decline a pending refund',
          description:
            'Only another operator than the one who asked (403 `approval.same_operator`); ' +
            'an expired request is 410 `approval.expired`, a decided one 409 ' +
            '`approval.not_pending`.',
          tag: 'Approvals',
          body: decisionSchema,
          bodyOptional: true,
        }),
      ),
      async (request, reply) => {
        const body = parseOrThrow(decisionSchema, request.body ?? {});
        const useCase = decideRefund(
          {
            approvalId: request.params.id,
            approve: path === 'approve',
            reason: body.reason ?? null,
          },
          principalOf(request),
        );
        return respond(deps, request, reply, useCase, ({ approval, result }) => ({
          status: 200,
          body: {
            approval: approvalJson(approval, approval.decidedAt ?? approval.createdAt),
            order: result ? orderJson(result.order, result.transactions) : null,
          },
        }));
      },
    );
  decide('approve');
  decide('decline');
};
