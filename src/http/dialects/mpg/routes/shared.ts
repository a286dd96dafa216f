/**
 * What every MPG route shares: its path id, its 404, its documented answers, and how a write runs
 * (under an Idempotency-Key header, a body id, or once) and answers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answering, type AppDeps, execute, type UseCase } from '../../../../app/context.js';
import type { MpgOrderView } from '../../../../app/mpg-orders.js';
import { type BodyIdRequest, runWithBodyId } from '../../../../app/mpg-request-ids.js';
import { callerKeyScope, callerOf } from '../../../caller.js';
import { send } from '../../../faces.js';
import { respond } from '../../../respond.js';
import { MESSAGES, renderMpgDomainError } from '../errors.js';
import { mpgOrderJson } from '../render.js';
import { uuid } from '../schemas.js';

export type Params = { Params: { id: string } };

/** A path id that is not a UUID names no order or transaction. */
export const pathId = (raw: string): string | null => {
  const parsed = uuid.safeParse(raw);
  return parsed.success ? parsed.data : null;
};

export const notFound = (reply: FastifyReply) =>
  reply.code(404).send({ message: MESSAGES.notFound });

export const DOC_RESPONSES = {
  200: { description: 'The order, with its transactions' },
  400: { description: '{"message": "Initial request is still processing."}' },
  401: { description: '{"message": "Missing authentication information"}' },
  403: { description: '{"message": "Unauthorized"}' },
  404: { description: '{"message": "Not found"}' },
  422: { description: '{"message": "Data validation failed", "errors": {field: [messages]}}' },
};

/** The order object answered to the request's merchant. */
export const orderBody = (request: FastifyRequest) => (view: MpgOrderView) =>
  mpgOrderJson(callerOf(request).merchant, view.order, view.transactions);

/**
 * Runs a write: under the Idempotency-Key header when one is sent
 * (docs/decisions/general.md#idempotency-key), else under the body id when the client sent one,
 * else once.
 */
export async function write(
  deps: AppDeps,
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
  const answered = answering(useCase, (view) => ({
    orderId: view.order.id,
    replayed: view.replayed,
    body: render(view),
  }));
  const result = bodyId
    ? await runWithBodyId(deps, bodyId, answered, (answer) => answer)
    : await execute(deps, answered);
  if (!result.ok) return send(reply, renderMpgDomainError(result.error));
  return reply.code(200).send(result.value.body);
}
