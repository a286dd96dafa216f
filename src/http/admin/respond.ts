/**
 * Runs a use case for an admin write and renders the answer, honouring `Idempotency-Key`
 * (decisions.md): the stored response comes back with `Idempotency-Replayed: true`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppDeps, execute, type UseCase } from '../../app/context.js';
import { executeWithIdempotencyKey } from '../../app/idempotency.js';
import { LIMITS } from '../../app/limits.js';
import { fingerprint } from '../../app/secrets.js';
import type { DomainError } from '../../domain/errors.js';
import type { Result } from '../../domain/result.js';
import { HttpProblem } from '../faces.js';
import { renderAdminDomainError } from './admin-errors.js';

export async function respond<T>(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  useCase: UseCase<T>,
  render: (value: T) => { status: number; body: unknown; storedBody?: unknown },
): Promise<FastifyReply> {
  const toResponse = (result: Result<T, DomainError>) => {
    if (!result.ok) {
      const failure = renderAdminDomainError(result.error, request.id);
      return { status: failure.status, body: JSON.stringify(failure.body) };
    }
    const rendered = render(result.value);
    return {
      status: rendered.status,
      body: JSON.stringify(rendered.body),
      ...(rendered.storedBody !== undefined
        ? { storedBody: JSON.stringify(rendered.storedBody) }
        : {}),
    };
  };
  const key = request.headers['idempotency-key'];
  let response: { status: number; body: string; replayed?: boolean };
  if (typeof key === 'string') {
    if (key.length === 0 || key.length > LIMITS.idempotencyKeyLengthMax) {
      throw new HttpProblem('validation_failed', [
        {
          path: 'Idempotency-Key',
          message: `Must be 1 to ${LIMITS.idempotencyKeyLengthMax} characters.`,
        },
      ]);
    }
    const requestFingerprint = fingerprint({
      method: request.method,
      url: request.url,
      body: request.body ?? null,
    });
    response = await executeWithIdempotencyKey(
      deps,
      { scope: 'admin', key, fingerprint: requestFingerprint },
      useCase,
      toResponse,
    );
    if (response.replayed) reply.header('idempotency-replayed', 'true');
  } else {
    response = toResponse(await execute(deps, useCase));
  }
  if (response.status === 204) return reply.code(204).send();
  return reply.code(response.status).type('application/json; charset=utf-8').send(response.body);
}
