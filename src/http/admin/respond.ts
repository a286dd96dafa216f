/** The admin face's `respond`: keys scoped to `admin`, errors in the admin envelope. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps, UseCase } from '../../app/context.js';
import { type Rendered, respond as respondOnFace } from '../respond.js';
import { renderAdminDomainError } from './admin-errors.js';

/** Whom every admin request acts as: recorded on ledger rows, events and admin actions. */
export const admin = { kind: 'admin' } as const;

export function respond<T>(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  useCase: UseCase<T>,
  render: (value: T) => Rendered,
): Promise<FastifyReply> {
  return respondOnFace(deps, request, reply, useCase, {
    scope: 'admin',
    render,
    renderError: renderAdminDomainError,
  });
}
