/**
 * The entries of an MPG key's IP whitelist (docs/dialects/mpg.md, "Keys, permissions and IP
 * whitelists"): an IPv4 or IPv6 address, or a CIDR block whose prefix fits its family. Pure, so the
 * admin API's schema and the dashboard's form judge an entry by the very same rule. The address
 * forms are those Node's `net.isIP` accepts, less IPv6 zone ids (`fe80::1%eth0`), which name an
 * interface of the client's machine and so can never match a client address here; a test compares
 * this rule with `net.isIP` (test/faces/admin/ip-entries.test.ts).
 */

/** How many entries one key's whitelist may hold. */
export const IP_WHITELIST_ENTRIES_MAX = 100;

/** Dotted IPv4, four decimal parts 0–255 without leading zeros (as `net.isIP` takes them). */
function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** IPv6 in any textual form: `::` once at most, a dotted IPv4 as the last 32 bits allowed. */
function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  // The IPv4 tail ends the text: `1.2.3.4::` is no address.
  const last = groups.at(-1)?.at(-1);
  const tailIsIpv4 = last !== undefined && last.includes('.');
  if (tailIsIpv4 && !isIpv4(last)) return false;
  const all = groups.flat();
  const hextets = tailIsIpv4 ? all.slice(0, -1) : all;
  if (!hextets.every((h) => HEXTET.test(h))) return false;
  const width = hextets.length + (tailIsIpv4 ? 2 : 0);
  return halves.length === 2 ? width <= 7 : width === 8;
}

/** 4 or 6 for an IPv4 or IPv6 address, else 0. */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (isIpv4(text)) return 4;
  return text.includes(':') && isIpv6(text) ? 6 : 0;
}

/** An IPv4 or IPv6 address, or a CIDR block whose prefix fits its family. */
export function isAddressOrBlock(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = ipFamily(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
