/**
 * Points authentication: the merchant's private key in `x-api-key` on every API route except
 * checkout, then the optional IP allow-list (checked after the key, as Points does). Auth
 * failures are HTTP 400, not 401 (docs/decisions/points.md#auth).
 */
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../app/context.js';
import { type Authenticated, authenticateKey } from '../../../app/merchants.js';
import { admitAuthenticated } from '../../auth-throttle.js';
import { admitCaller } from '../../caller.js';
import { plainAddress } from '../../client-address.js';
import { HttpProblem } from '../../faces.js';
import { limitCaller } from '../../rate-limit.js';

/**
 * True when the merchant's allow-list admits `ip`. No list admits everyone; an empty list admits
 * no one ("a whitelist record that exists but is empty blocks everything").
 */
export function ipAllowed(allowList: readonly string[] | null, ip: string): boolean {
  if (allowList === null) return true;
  // An IPv4 address seen through an IPv6 socket (`::ffff:1.2.3.4`) compares as `1.2.3.4`.
  const caller = plainAddress(ip);
  return allowList.some((entry) => plainAddress(entry.trim()) === caller);
}

/** onRequest hook: authenticates the private key and applies the IP allow-list. */
export function requireApiKey(deps: AppDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = request.headers['x-api-key'];
    const presented = Array.isArray(key) ? key[0] : key;
    if (presented === undefined || presented.trim() === '') throw new HttpProblem('auth_missing');
    const caller = await authenticateKey(deps, 'points', 'api_key', presented.trim());
    if (!caller) throw new HttpProblem('auth_invalid');
    admitCaller(request, caller);
    if (!ipAllowed(caller.merchant.settings.ipAllowList, request.ip)) {
      throw new HttpProblem('forbidden');
    }
  };
}

/**
 * The merchant whose public key is in the checkout path, or an auth problem. The public key ships
 * to browsers, so the sessions it opens count against its own rate limit like any credential's
 * requests (429 when over).
 */
export async function merchantByPublicKey(
  deps: AppDeps,
  request: FastifyRequest,
  publicKey: string,
): Promise<Authenticated> {
  const caller = await authenticateKey(deps, 'points', 'public_key', publicKey);
  if (!caller) throw new HttpProblem('auth_invalid');
  admitAuthenticated(request);
  limitCaller(request, caller.credential.id);
  return caller;
}
