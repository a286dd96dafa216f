/**
 * Backd authentication: HTTP Basic with the merchant's Backd public key as user name and secret
 * key as password. Both must be live keys of the same merchant. Missing or wrong: 401 in the
 * envelope (docs/decisions/backd.md#auth). The terms page takes its token instead.
 */
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../app/context.js';
import { authenticateKeyPair } from '../../../app/merchants.js';
import { admitCaller } from '../../caller.js';
import { HttpProblem } from '../../faces.js';

/** onRequest hook of the management API. */
export const requireKeyPair =
  (deps: AppDeps) =>
  async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const match =
      typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=_-]*)\s*$/i.exec(header) : null;
    if (!match) throw new HttpProblem('auth_missing');
    const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0 || colon === decoded.length - 1) throw new HttpProblem('auth_invalid');
    const caller = await authenticateKeyPair(
      deps,
      'backd',
      decoded.slice(0, colon),
      decoded.slice(colon + 1),
    );
    if (!caller) throw new HttpProblem('auth_invalid');
    admitCaller(request, caller);
  };
