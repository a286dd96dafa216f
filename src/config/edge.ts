/** The HTTP edge: trusted proxies, the failed-authentication limit, timeouts, connection caps. */
import net from 'node:net';
import { LIMITS } from '../app/limits.js';
import { integer, milliseconds, type Env } from './parse.js';

/** A comma-separated list of IP addresses and CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`). */
function addressList(env: Env, name: string): string[] {
  const raw = env[name] ?? '';
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = net.isIP(address);
    const bits = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new Error(`${name} must list IP addresses or CIDR blocks, got "${entry}"`);
    }
  }
  return entries;
}

/** The HTTP edge: trusted proxies, the failed-authentication limit, timeouts, connection caps. */
export function edgeConfig(env: Env) {
  return {
    trustedProxies: addressList(env, 'UNWIND_TRUSTED_PROXIES'),
    authFailuresPerMinute: integer(
      env,
      'UNWIND_AUTH_FAILURES_PER_MINUTE',
      LIMITS.authFailuresPerMinuteDefault,
      1,
      1_000_000,
    ),
    connections: {
      headersTimeoutMs: milliseconds(
        env,
        'UNWIND_HEADERS_TIMEOUT_MS',
        LIMITS.headersTimeoutMsDefault,
        600_000,
      ),
      requestTimeoutMs: milliseconds(
        env,
        'UNWIND_REQUEST_TIMEOUT_MS',
        LIMITS.requestTimeoutMsDefault,
        3_600_000,
      ),
      uploadTimeoutMs: milliseconds(
        env,
        'UNWIND_UPLOAD_TIMEOUT_MS',
        LIMITS.uploadTimeoutMsDefault,
        86_400_000,
      ),
      keepAliveTimeoutMs: milliseconds(
        env,
        'UNWIND_KEEP_ALIVE_TIMEOUT_MS',
        LIMITS.keepAliveTimeoutMsDefault,
        600_000,
      ),
      connectionsMax: integer(
        env,
        'UNWIND_MAX_CONNECTIONS',
        LIMITS.connectionsMaxDefault,
        1,
        1_000_000,
      ),
      connectionsPerAddressMax: integer(
        env,
        'UNWIND_MAX_CONNECTIONS_PER_ADDRESS',
        LIMITS.connectionsPerAddressMaxDefault,
        1,
        1_000_000,
      ),
    },
  };
}
