/**
 * What the Backd management routes share: their OpenAPI entry, the order data's two shapes, and
 * how a write runs (honouring `Idempotency-Key`, scoped to the merchant's Backd face) and answers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { BackdOrderView } from '../../../../app/backd-orders.js';
import type { AppDeps, UseCase } from '../../../../app/context.js';
import { callerKeyScope, callerOf } from '../../../caller.js';
import { documented } from '../../../openapi.js';
import { respond } from '../../../respond.js';
import { renderBackdDomainError, success } from '../errors.js';
import { orderData, type OrderDataOptions } from '../render.js';

/** What every Backd management route is registered with. */
export interface BackdRouteContext {
  readonly deps: AppDeps;
  /** Base URL of the buyer's terms page (PUBLIC_URL). */
  readonly publicUrl: string;
}

/** The route's OpenAPI entry, from the very schema its handler validates with. */
export const doc = (summary: string, body: z.ZodType, tag = 'Orders') =>
  documented({ summary, tag, body });

export const plain: OrderDataOptions = { refunds: false, merchantOrderStatus: true };
export const withRefunds: OrderDataOptions = { refunds: true, merchantOrderStatus: true };

/** Runs a write and answers the order data in the envelope. */
export const write = (
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  useCase: UseCase<BackdOrderView>,
  answer: { readonly message: string; readonly shape: OrderDataOptions },
) =>
  respond(deps, request, reply, useCase, {
    scope: callerKeyScope(callerOf(request)),
    render: (view) => ({
      status: 200,
      body: success(orderData(view, answer.shape), answer.message),
    }),
    renderError: renderBackdDomainError,
  });
