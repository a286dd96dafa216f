/**
 * What the Points API routes share: their OpenAPI entry (from the very field rules the handler
 * validates with), the order number's rules, and how an order operation runs and answers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps, UseCase } from '../../../../app/context.js';
import type { MerchantGate } from '../../../../app/points-gate.js';
import type { PointsOrderView } from '../../../../app/points-orders.js';
import type { PointsOperation } from '../../../../domain/points.js';
import { callerKeyScope, callerOf } from '../../../caller.js';
import { documented } from '../../../openapi.js';
import { respond } from '../../../respond.js';
import { renderPointsDomainError } from '../errors.js';
import { envelope, orderResource } from '../render.js';
import { type Field, zodOf } from '../schemas/laravel.js';

/** What every Points API route is registered with. */
export interface PointsRouteContext {
  readonly deps: AppDeps;
  /** Base URL for links to hosted pages and pages of lists (PUBLIC_URL). */
  readonly publicUrl: string;
  /** One gate per process: the in-process half of the per-merchant earning lock. */
  readonly gate: MerchantGate;
}

type Fields = Readonly<Record<string, Field>>;

/** The route's OpenAPI entry, from the very rules its handler validates with. */
export const doc = (summary: string, tag: string, body?: Fields, query?: Fields) =>
  documented({
    summary,
    tag,
    ...(body ? { body: zodOf(body) } : {}),
    ...(query ? { query: zodOf(query) } : {}),
  });

/** "a leading `#` is stripped server-side". */
export const orderNumberOf = (values: Record<string, unknown>): string =>
  (values['order_number'] as string).replace(/^#/, '');

export const orderNumberIssue = (values: Record<string, unknown>) =>
  typeof values['order_number'] === 'string' && orderNumberOf(values) === ''
    ? [{ path: 'order_number', message: 'The order number field is required.' }]
    : [];

/** Runs an order's use case under the caller's Idempotency-Key scope and answers the order. */
export const runOrder = <T extends PointsOrderView>(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  useCase: UseCase<T>,
  operation?: PointsOperation,
) =>
  respond(deps, request, reply, useCase, {
    scope: callerKeyScope(callerOf(request)),
    render: (view) => ({ status: 200, body: envelope(orderResource(view, deps.clock.now())) }),
    renderError: (error) => renderPointsDomainError(error, operation),
  });
