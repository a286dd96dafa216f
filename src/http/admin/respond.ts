/** The admin face's `respond`: keys scoped to the admin face, errors in the admin envelope. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps, UseCase } from '../../app/context.js';
import { ADMIN_KEY_SCOPE } from '../../app/idempotency.js';
import { type Rendered, respond as respondOnFace } from '../respond.js';
import { renderAdminDomainError } from './admin-errors.js';

export function respond<T>(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  useCase: UseCase<T>,
  render: (value: T) => Rendered,
): Promise<FastifyReply> {
  return respondOnFace(deps, request, reply, useCase, {
    scope: ADMIN_KEY_SCOPE,
    render,
    renderError: renderAdminDomainError,
  });
}
