/**
 * The connection-time guard of every outbound request the server makes to a URL that someone
 * else chose (today: webhook deliveries). It refuses private and local destinations
 * (src/domain/network-address.ts) on the address actually connected to, twice:
 *
 * 1. before any packet: a literal IP in the URL is judged as written, and a host name inside
 *    the DNS lookup the socket itself uses, every resolved address of it, so a name cannot
 *    resolve to a public address for a check and to a private one for the connection (DNS
 *    rebinding): there is one resolution per connection and its answer is what is connected to;
 * 2. after the TCP connect, before the first byte is written: the socket's remote address.
 *
 * Redirects are not followed at all (node:http never does; the sender records a 3xx as a failed
 * attempt), so there is no second destination to check.
 */
import dns from 'node:dns';
import type http from 'node:http';
import net from 'node:net';
import { classifyAddress, describeVerdict } from '../domain/network-address.js';

/** A refused destination; its message goes to the attempt log. */
export class PrivateAddressRefused extends Error {
  override readonly name = 'PrivateAddressRefused';
  constructor(detail: string) {
    super(`private address refused: ${detail}`);
  }
}

/** Resolves a host name to every address of it (dns.lookup unless a test injects a resolver). */
export type Resolver = (
  hostname: string,
  options: { readonly family?: number; readonly hints?: number },
) => Promise<readonly dns.LookupAddress[]>;

export const systemResolver: Resolver = (hostname, options) =>
  dns.promises.lookup(hostname, {
    all: true,
    ...(options.family ? { family: options.family } : {}),
    ...(options.hints ? { hints: options.hints } : {}),
  });

/** Why `address` (an IP) must not be connected to, or null when it is public. */
export function refusalOf(address: string): string | null {
  const verdict = classifyAddress(address);
  if (verdict === null) return `${address} is not an IP address`;
  return verdict.kind === 'public' ? null : describeVerdict(address, verdict);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for sockets: resolves with `resolve` once per connection and hands the socket the
 * very addresses it checked, refusing the connection if any of them is not public.
 */
export function guardedLookup(resolve: Resolver): net.LookupFunction {
  const lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    const family = typeof options.family === 'number' ? options.family : 0;
    resolve(hostname, { family, ...(options.hints ? { hints: options.hints } : {}) }).then(
      (addresses) => {
        for (const a of addresses) {
          const refusal = refusalOf(a.address);
          if (refusal) {
            return callback(new PrivateAddressRefused(`${hostname} resolves to ${refusal}`), []);
          }
        }
        const list = addresses.map((a) => ({ address: a.address, family: a.family }));
        if (options.all) return callback(null, list);
        const first = list[0];
        return first
          ? callback(null, first.address, first.family)
          : callback(
              Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
              [],
            );
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
  return lookup as unknown as net.LookupFunction;
}

/** Why a URL's host, when it is a literal IP (`[::1]` included), must not be connected to. */
export function literalRefusal(hostname: string): string | null {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return net.isIP(bare) === 0 ? null : refusalOf(bare);
}

/**
 * The second wall: once the request has its socket, checks the connected remote address before
 * the request writes to it (its write waits for `connect`, and this listener comes first), and
 * destroys the socket with a refusal when the address is not public.
 */
export function guardSocket(request: http.ClientRequest): void {
  request.once('socket', (socket: net.Socket) => {
    const check = () => {
      const remote = socket.remoteAddress;
      const refusal = remote === undefined ? null : refusalOf(remote);
      if (refusal) socket.destroy(new PrivateAddressRefused(`connected to ${refusal}`));
    };
    if (socket.connecting) socket.once('connect', check);
    else check();
  });
}
