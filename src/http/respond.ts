/**
 * Runs a use case for a write on any face and renders the answer in that face's shape, honouring
 * the `Idempotency-Key` header (docs/decisions/general.md#idempotency-key): the stored response
 * comes back with `Idempotency-Replayed: true`; a key reused for another request, or still in
 * progress, is answered by the face's own rendering of `idempotency.key_reused` (422) and
 * `idempotency.in_progress` (409). Keys are scoped to the merchant and face, the admin face, or a
 * hosted page (`scope`, a KeyScope), never to a credential.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answering, type AppDeps, execute, type UseCase } from '../app/context.js';
import { executeWithIdempotencyKey, type KeyScope } from '../app/idempotency.js';
import { LIMITS } from '../app/limits.js';
import { fingerprint } from '../app/secrets.js';
import type { DomainError } from '../domain/errors.js';
import { ok, type Result } from '../domain/result.js';
import { HttpProblem, type RenderedError } from './faces.js';

export interface Rendered {
  readonly status: number;
  readonly body: unknown;
  /** What to store for replays instead of `body`, when `body` shows a secret once. */
  readonly storedBody?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RespondOptions<T> {
  /** Whose keys these are. */
  readonly scope: KeyScope;
  /**
   * The path the request's fingerprint names instead of its own, when the path carries a key a
   * rotation replaces (Points' checkout public key): a retry with the new key is the same request.
   */
  readonly fingerprintPath?: string;
  readonly render: (value: T) => Rendered;
  readonly renderError: (error: DomainError, requestId: string) => RenderedError;
}

export async function respond<T>(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  useCase: UseCase<T>,
  options: RespondOptions<T>,
): Promise<FastifyReply> {
  const toResponse = (result: Result<T, DomainError>) => {
    const rendered: Rendered = result.ok
      ? options.render(result.value)
      : options.renderError(result.error, request.id);
    return {
      status: rendered.status,
      body:
        rendered.body === undefined || rendered.body === null ? '' : JSON.stringify(rendered.body),
      ...(rendered.storedBody !== undefined
        ? { storedBody: JSON.stringify(rendered.storedBody) }
        : {}),
    };
  };
  const key = request.headers['idempotency-key'];
  let response: { status: number; body: string };
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
      url: options.fingerprintPath ?? request.url,
      body: request.body ?? null,
    });
    const stored = await executeWithIdempotencyKey(
      deps,
      { scope: options.scope, key, fingerprint: requestFingerprint },
      useCase,
      toResponse,
    );
    if (stored.replayed) reply.header('idempotency-replayed', 'true');
    response = stored;
  } else {
    // Rendered inside the use case's transaction, as under a key: a render that throws undoes
    // the change instead of answering 500 after it committed.
    const done = await execute(
      deps,
      answering(useCase, (value) => toResponse(ok(value))),
    );
    response = done.ok ? done.value : toResponse(done);
  }
  if (response.status === 204 || response.body === '') return reply.code(response.status).send();
  return reply.code(response.status).type('application/json; charset=utf-8').send(response.body);
}
