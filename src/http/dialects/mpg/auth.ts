/**
 * MPG authentication: `Authorization: Bearer <key>` with the route's permission
 * (docs/decisions/mpg.md#auth). A key with an IP whitelist is used only from its addresses (the
 * client address as src/http/client-address.ts sees it, behind trusted proxies too): 401 "IP is
 * not in the IP whitelist" otherwise.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../app/context.js';
import { authenticateKey } from '../../../app/merchants.js';
import type { MpgPermission } from '../../../domain/merchant.js';
import { admitCaller } from '../../caller.js';
import { addressMatcher } from '../../client-address.js';
import { HttpProblem } from '../../faces.js';
import { MESSAGES } from './errors.js';

/** onRequest hook: the bearer key, its IP whitelist, then `permission`. */
export const requirePermission =
  (deps: AppDeps, permission: MpgPermission) =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (!header) throw new HttpProblem('auth_missing');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpProblem('auth_missing');
    const auth = await authenticateKey(deps, 'mpg', 'api_key', match[1]!);
    if (!auth) throw new HttpProblem('auth_invalid');
    admitCaller(request, auth);
    const whitelist = auth.credential.ipWhitelist;
    if (whitelist !== null && !addressMatcher(whitelist)(request.ip)) {
      return reply.code(401).send({ message: MESSAGES.ipNotWhitelisted });
    }
    if (!auth.credential.permissions.includes(permission)) throw new HttpProblem('forbidden');
    return undefined;
  };
