/**
 * Which IP addresses and host names an outbound request of the server may reach: one pure
 * classifier for every textual form of an address that Node's URL parser, `net` or the system
 * resolver accept, and the host names that can only be local. The table is docs/security.md
 * ("Webhook URLs and private networks"); a test keeps the two in step.
 *
 * An address is judged by the first range of its family that holds it. IPv6 forms that carry an
 * IPv4 address (mapped, compatible, translated, NAT64, 6to4, Teredo) are judged by that IPv4
 * address, since that is where a packet to them ends up. Anything unparseable is not public.
 */

/** Why an address is not public, or `public`. */
export type AddressKind =
  | 'public'
  | 'this-network'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'site-local'
  | 'unique-local'
  | 'ietf-protocol'
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'discard'
  | 'orchid'
  | 'nat64-local';

/** The IPv6 forms that carry an IPv4 address, and so are judged by it. */
export type EmbeddingForm =
  'ipv4-mapped' | 'ipv4-compatible' | 'ipv4-translated' | 'nat64' | '6to4' | 'teredo';

export interface AddressRange {
  readonly cidr: string;
  readonly kind: AddressKind;
  /** For an IPv6 range that carries an IPv4 address: how, and judged by that address. */
  readonly embeds?: EmbeddingForm;
}

/** IPv4, first match wins. Whatever no row holds is public. */
export const IPV4_RANGES: readonly AddressRange[] = [
  { cidr: '0.0.0.0/8', kind: 'this-network' },
  { cidr: '10.0.0.0/8', kind: 'private' },
  { cidr: '100.64.0.0/10', kind: 'shared' },
  { cidr: '127.0.0.0/8', kind: 'loopback' },
  { cidr: '169.254.0.0/16', kind: 'link-local' },
  { cidr: '172.16.0.0/12', kind: 'private' },
  { cidr: '192.0.0.0/24', kind: 'ietf-protocol' },
  { cidr: '192.0.2.0/24', kind: 'documentation' },
  { cidr: '192.88.99.0/24', kind: 'reserved' },
  { cidr: '192.168.0.0/16', kind: 'private' },
  { cidr: '198.18.0.0/15', kind: 'benchmarking' },
  { cidr: '198.51.100.0/24', kind: 'documentation' },
  { cidr: '203.0.113.0/24', kind: 'documentation' },
  { cidr: '233.252.0.0/24', kind: 'documentation' },
  { cidr: '224.0.0.0/4', kind: 'multicast' },
  { cidr: '255.255.255.255/32', kind: 'broadcast' },
  { cidr: '240.0.0.0/4', kind: 'reserved' },
];

/** IPv6, first match wins. The last two rows: 2000::/3 is public, anything else reserved. */
export const IPV6_RANGES: readonly AddressRange[] = [
  { cidr: '::/128', kind: 'unspecified' },
  { cidr: '::1/128', kind: 'loopback' },
  { cidr: '::ffff:0:0/96', kind: 'public', embeds: 'ipv4-mapped' },
  { cidr: '::ffff:0:0:0/96', kind: 'public', embeds: 'ipv4-translated' },
  { cidr: '::/96', kind: 'public', embeds: 'ipv4-compatible' },
  { cidr: '64:ff9b::/96', kind: 'public', embeds: 'nat64' },
  { cidr: '64:ff9b:1::/48', kind: 'nat64-local' },
  { cidr: '100::/64', kind: 'discard' },
  { cidr: '2001::/32', kind: 'public', embeds: 'teredo' },
  { cidr: '2001:2::/48', kind: 'benchmarking' },
  { cidr: '2001:10::/28', kind: 'orchid' },
  { cidr: '2001:20::/28', kind: 'orchid' },
  { cidr: '2001::/23', kind: 'ietf-protocol' },
  { cidr: '2001:db8::/32', kind: 'documentation' },
  { cidr: '2002::/16', kind: 'public', embeds: '6to4' },
  { cidr: '3fff::/20', kind: 'documentation' },
  { cidr: 'fc00::/7', kind: 'unique-local' },
  { cidr: 'fe80::/10', kind: 'link-local' },
  { cidr: 'fec0::/10', kind: 'site-local' },
  { cidr: 'ff00::/8', kind: 'multicast' },
  { cidr: '2000::/3', kind: 'public' },
  { cidr: '::/0', kind: 'reserved' },
];

export interface AddressVerdict {
  readonly kind: AddressKind;
  /** The range that decided: the IPv4 one for an embedded address; `0.0.0.0/0` when none held. */
  readonly range: string;
  /** Set when an IPv6 address was judged by the IPv4 address it carries. */
  readonly embedded: { readonly form: EmbeddingForm; readonly ipv4: string } | null;
}

/**
 * Classifies an IP address in any textual form (`127.1`, `0x7f.0.0.1`, `017700000001`,
 * `[::ffff:127.0.0.1]`, `fe80::1%eth0`, …), or null when `text` is not an IP address.
 */
export function classifyAddress(text: string): AddressVerdict | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return judgeIpv4(v4, null);
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  const range = V6_TABLE.find((r) => inRange(v6, r, 128))!;
  if (!range.embeds) return { kind: range.kind, range: range.cidr, embedded: null };
  return judgeIpv4(embeddedIpv4(v6, range.embeds), range.embeds);
}

/** True only for an IP address that is public; anything unparseable is not. */
export const isPublicAddress = (text: string): boolean => classifyAddress(text)?.kind === 'public';

/**
 * `127.0.0.1 (loopback, 127.0.0.0/8)`, or for an IPv6 form carrying an IPv4 address
 * `::ffff:0.0.0.0 (ipv4-mapped 0.0.0.0: this-network, 0.0.0.0/8)`.
 */
export function describeVerdict(address: string, verdict: AddressVerdict | PrivateHost): string {
  const via = verdict.embedded ? `${verdict.embedded.form} ${verdict.embedded.ipv4}: ` : '';
  return `${address} (${via}${verdict.kind}, ${verdict.range})`;
}

/**
 * Suffixes (and whole names) that name this machine or a private network, never a public host:
 * RFC 6761 and 6762 special-use names, the names RFC 6762 appendix G lists as in private use,
 * home.arpa (RFC 8375) and reverse-lookup names.
 */
export const LOCAL_NAME_SUFFIXES: readonly string[] = [
  'localhost',
  'localdomain',
  'local',
  'internal',
  'intranet',
  'private',
  'corp',
  'home',
  'lan',
  'home.arpa',
  'in-addr.arpa',
  'ip6.arpa',
];

/** A host that can only be private or local: an address's verdict, or a local name's. */
export interface PrivateHost {
  readonly kind: Exclude<AddressKind, 'public'> | 'local-name';
  /** The deciding range (`127.0.0.0/8`), or for a name `single-label` or its suffix (`.local`). */
  readonly range: string;
  readonly embedded: AddressVerdict['embedded'];
}

/**
 * Whether a URL's host (`URL.hostname`: a name, a dotted IPv4, or a bracketed IPv6) can only be a
 * private or local destination, and why; null when it may be public. A name that resolves to a
 * private address passes here: the sender refuses it when it connects.
 */
export function privateHost(hostname: string): PrivateHost | null {
  const verdict = classifyAddress(hostname);
  if (verdict) return verdict.kind === 'public' ? null : { ...verdict, kind: verdict.kind };
  const name = hostname.toLowerCase().replace(/\.$/, '');
  const suffix = LOCAL_NAME_SUFFIXES.find((s) => name === s || name.endsWith(`.${s}`));
  if (suffix) return { kind: 'local-name', range: `.${suffix}`, embedded: null };
  // A name without a dot is completed from the local search domains, never public DNS.
  return name.includes('.') ? null : { kind: 'local-name', range: 'single-label', embedded: null };
}

interface Range {
  readonly base: bigint;
  readonly prefix: number;
  readonly cidr: string;
  readonly kind: AddressKind;
  readonly embeds: EmbeddingForm | undefined;
}

function compile(ranges: readonly AddressRange[], parse: (t: string) => bigint | null): Range[] {
  return ranges.map(({ cidr, kind, embeds }) => {
    const [address, prefix] = cidr.split('/');
    return { base: parse(address!)!, prefix: Number(prefix), cidr, kind, embeds };
  });
}

const V4_TABLE = compile(IPV4_RANGES, parseIpv4);
const V6_TABLE = compile(IPV6_RANGES, parseIpv6);

const inRange = (address: bigint, range: Range, bits: number): boolean => {
  const shift = BigInt(bits - range.prefix);
  return address >> shift === range.base >> shift;
};

function judgeIpv4(address: bigint, form: EmbeddingForm | null): AddressVerdict {
  const range = V4_TABLE.find((r) => inRange(address, r, 32));
  return {
    kind: range?.kind ?? 'public',
    range: range?.cidr ?? '0.0.0.0/0',
    embedded: form === null ? null : { form, ipv4: formatIpv4(address) },
  };
}

const formatIpv4 = (address: bigint): string =>
  [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 0xffn)).join('.');

/** The IPv4 address an IPv6 form carries: the low 32 bits, except 6to4 and Teredo. */
function embeddedIpv4(address: bigint, form: EmbeddingForm): bigint {
  const MASK32 = 0xffff_ffffn;
  if (form === '6to4') return (address >> 80n) & MASK32; // 2002:AABB:CCDD::/48
  if (form === 'teredo') return (address & MASK32) ^ MASK32; // the client's address, inverted
  return address & MASK32;
}

/**
 * IPv4 as the URL standard and inet_aton read it: one to four parts, each decimal, octal
 * (leading 0) or hex (0x); the last part fills the remaining bytes; one trailing dot allowed.
 */
function parseIpv4(text: string): bigint | null {
  if (text.length === 0 || text.length > 64) return null;
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return null;
  const numbers = parts.map(parseIpv4Number);
  if (numbers.some((n) => n === null)) return null;
  const last = numbers.pop()!;
  if (numbers.some((n) => n! > 255n) || last! >= 256n ** BigInt(5 - parts.length)) return null;
  return numbers.reduce<bigint>((sum, n, i) => sum + (n! << BigInt(8 * (3 - i))), last!);
}

function parseIpv4Number(part: string): bigint | null {
  if (/^0[xX][0-9a-fA-F]*$/.test(part)) return part.length === 2 ? 0n : BigInt(part);
  if (/^0[0-7]+$/.test(part)) return BigInt(`0o${part.slice(1)}`);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return BigInt(part);
  return null;
}

/** IPv6 text (RFC 4291 section 2.2), optionally in brackets and with a zone (`%eth0`). */
function parseIpv6(text: string): bigint | null {
  const bare = (text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text).replace(
    /%[^%]+$/,
    '',
  );
  if (bare.length > 45 || !bare.includes(':') || !/^[0-9a-fA-F:.]+$/.test(bare)) return null;
  let head = bare;
  let tail: number[] = [];
  const dotted = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (dotted) {
    const bytes = dotted[1]!.split('.').map(Number);
    if (bytes.some((b) => b > 255)) return null;
    tail = [(bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!];
    // Drop the dotted part and its colon, unless that colon is half of a `::`.
    head = bare.slice(0, bare.length - dotted[1]!.length);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const explicit = left.length + right.length + tail.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return null;
  const words = [...left, ...right];
  if (!words.every((w) => /^[0-9a-fA-F]{1,4}$/.test(w))) return null;
  const values = [
    ...left.map((w) => parseInt(w, 16)),
    ...Array<number>(8 - explicit).fill(0),
    ...right.map((w) => parseInt(w, 16)),
    ...tail,
  ];
  return values.reduce((sum, word) => (sum << 16n) | BigInt(word), 0n);
}
