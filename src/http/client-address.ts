/**
 * Who the client is. `request.ip` is Fastify's answer: the socket's address, or, when that
 * address is one of the trusted proxies (UNWIND_TRUSTED_PROXIES, Fastify's `trustProxy`), the
 * address X-Forwarded-For gives for the nearest hop that is not trusted. A client talking to the
 * server directly cannot choose its address with that header. The limits that count per client
 * (failed authentication, connections) count under `addressKey`.
 */
import net from 'node:net';

/** An IPv4 address seen through an IPv6 socket (`::ffff:1.2.3.4`) as `1.2.3.4`. */
export const plainAddress = (ip: string): string =>
  ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/** The first four groups of an IPv6 address (its /64), in lower case without leading zeros. */
function ipv6Prefix64(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const headGroups = groupsOf(head);
  const tailGroups = tail === undefined ? [] : groupsOf(tail);
  // An embedded IPv4 address at the end fills two groups.
  const tailWidth = tailGroups.length + (tailGroups.at(-1)?.includes('.') ? 1 : 0);
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailWidth;
  const groups = [...headGroups, ...Array<string>(Math.max(0, zeros)).fill('0'), ...tailGroups];
  return groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':');
}

/**
 * The key a client address is counted under: an IPv4 address itself, an IPv6 address by its /64
 * (one subscriber's network: its holder may use any of its 2^64 addresses, so counting each
 * apart would let one client multiply every per-address limit). Anything else (a forwarded value
 * that is no address) is counted by its first 64 characters, so a key never grows large.
 */
export function addressKey(ip: string): string {
  const plain = plainAddress(ip.replace(/%.*$/, ''));
  const family = net.isIP(plain);
  if (family === 4) return plain;
  if (family === 6) return `${ipv6Prefix64(plain)}::/64`;
  return `other:${ip.slice(0, 64)}`;
}

/** Whether an address is one of `entries` (IP addresses and CIDR blocks, already validated). */
export function addressMatcher(entries: readonly string[]): (ip: string) => boolean {
  if (entries.length === 0) return () => false;
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (ip) => {
    const plain = plainAddress(ip);
    const family = net.isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}
