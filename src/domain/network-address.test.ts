// Proves the address classifier over a table of every address form it must judge: each IPv4 and
// IPv6 range with its edges, the IPv4 notations the URL standard and inet_aton accept (short,
// decimal, octal, hex, trailing dot), IPv6 with brackets, zones and embedded dotted IPv4, and
// the IPv6 forms carrying an IPv4 address (judged by it). Every range of the table has a case,
// each verdict is the same when the text goes through Node's URL parser first, and local host
// names are told from public ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AddressKind,
  classifyAddress,
  type EmbeddingForm,
  IPV4_RANGES,
  IPV6_RANGES,
  isPublicAddress,
  privateHost,
} from './network-address.js';

type Case = readonly [
  address: string,
  kind: AddressKind,
  range: string,
  embedded?: readonly [EmbeddingForm, string],
];

const PUBLIC_V4 = '0.0.0.0/0';

const IPV4_CASES: readonly Case[] = [
  ['0.0.0.0', 'this-network', '0.0.0.0/8'],
  ['0.255.255.255', 'this-network', '0.0.0.0/8'],
  ['1.0.0.0', 'public', PUBLIC_V4],
  ['9.255.255.255', 'public', PUBLIC_V4],
  ['10.0.0.0', 'private', '10.0.0.0/8'],
  ['10.255.255.255', 'private', '10.0.0.0/8'],
  ['11.0.0.0', 'public', PUBLIC_V4],
  ['100.63.255.255', 'public', PUBLIC_V4],
  ['100.64.0.0', 'shared', '100.64.0.0/10'],
  ['100.127.255.255', 'shared', '100.64.0.0/10'],
  ['100.128.0.0', 'public', PUBLIC_V4],
  ['126.255.255.255', 'public', PUBLIC_V4],
  ['127.0.0.1', 'loopback', '127.0.0.0/8'],
  ['127.255.255.255', 'loopback', '127.0.0.0/8'],
  ['128.0.0.0', 'public', PUBLIC_V4],
  ['169.253.255.255', 'public', PUBLIC_V4],
  ['169.254.169.254', 'link-local', '169.254.0.0/16'],
  ['169.255.0.0', 'public', PUBLIC_V4],
  ['172.15.255.255', 'public', PUBLIC_V4],
  ['172.16.0.0', 'private', '172.16.0.0/12'],
  ['172.31.255.255', 'private', '172.16.0.0/12'],
  ['172.32.0.0', 'public', PUBLIC_V4],
  ['192.0.0.0', 'ietf-protocol', '192.0.0.0/24'],
  ['192.0.0.255', 'ietf-protocol', '192.0.0.0/24'],
  ['192.0.1.0', 'public', PUBLIC_V4],
  ['192.0.2.1', 'documentation', '192.0.2.0/24'],
  ['192.0.3.0', 'public', PUBLIC_V4],
  ['192.88.99.1', 'reserved', '192.88.99.0/24'],
  ['192.167.255.255', 'public', PUBLIC_V4],
  ['192.168.0.0', 'private', '192.168.0.0/16'],
  ['192.168.255.255', 'private', '192.168.0.0/16'],
  ['192.169.0.0', 'public', PUBLIC_V4],
  ['198.17.255.255', 'public', PUBLIC_V4],
  ['198.18.0.0', 'benchmarking', '198.18.0.0/15'],
  ['198.19.255.255', 'benchmarking', '198.18.0.0/15'],
  ['198.20.0.0', 'public', PUBLIC_V4],
  ['198.51.100.7', 'documentation', '198.51.100.0/24'],
  ['203.0.113.9', 'documentation', '203.0.113.0/24'],
  ['223.255.255.255', 'public', PUBLIC_V4],
  ['224.0.0.0', 'multicast', '224.0.0.0/4'],
  ['233.252.0.1', 'documentation', '233.252.0.0/24'],
  ['239.255.255.255', 'multicast', '224.0.0.0/4'],
  ['240.0.0.0', 'reserved', '240.0.0.0/4'],
  ['255.255.255.254', 'reserved', '240.0.0.0/4'],
  ['255.255.255.255', 'broadcast', '255.255.255.255/32'],
  ['8.8.8.8', 'public', PUBLIC_V4],
  // The notations the URL standard and inet_aton accept for 127.0.0.1 and friends.
  ['127.1', 'loopback', '127.0.0.0/8'],
  ['127.0.1', 'loopback', '127.0.0.0/8'],
  ['2130706433', 'loopback', '127.0.0.0/8'],
  ['0x7f000001', 'loopback', '127.0.0.0/8'],
  ['0X7F.1', 'loopback', '127.0.0.0/8'],
  ['017700000001', 'loopback', '127.0.0.0/8'],
  ['0177.0.0.1', 'loopback', '127.0.0.0/8'],
  ['0x7f.0.0.1', 'loopback', '127.0.0.0/8'],
  ['127.0.0.1.', 'loopback', '127.0.0.0/8'],
  ['0', 'this-network', '0.0.0.0/8'],
  ['0x', 'this-network', '0.0.0.0/8'],
  ['00', 'this-network', '0.0.0.0/8'],
  ['3232235521', 'private', '192.168.0.0/16'],
  ['0xa9fea9fe', 'link-local', '169.254.0.0/16'],
  ['4294967295', 'broadcast', '255.255.255.255/32'],
  ['1.2.3', 'public', PUBLIC_V4], // 1.2.0.3
];

const IPV6_CASES: readonly Case[] = [
  ['::', 'unspecified', '::/128'],
  ['[::]', 'unspecified', '::/128'],
  ['0:0:0:0:0:0:0:0', 'unspecified', '::/128'],
  ['::1', 'loopback', '::1/128'],
  ['[::1]', 'loopback', '::1/128'],
  ['0:0:0:0:0:0:0:1', 'loopback', '::1/128'],
  ['::0001', 'loopback', '::1/128'],
  // IPv4-mapped ::ffff:0:0/96: the issue's ::ffff:0.0.0.0 reached a service on 127.0.0.1.
  ['::ffff:0.0.0.0', 'this-network', '0.0.0.0/8', ['ipv4-mapped', '0.0.0.0']],
  ['::ffff:0:0', 'this-network', '0.0.0.0/8', ['ipv4-mapped', '0.0.0.0']],
  ['::ffff:0.0.0.1', 'this-network', '0.0.0.0/8', ['ipv4-mapped', '0.0.0.1']],
  ['::ffff:127.0.0.1', 'loopback', '127.0.0.0/8', ['ipv4-mapped', '127.0.0.1']],
  ['[::ffff:7f00:1]', 'loopback', '127.0.0.0/8', ['ipv4-mapped', '127.0.0.1']],
  ['0:0:0:0:0:FFFF:127.0.0.1', 'loopback', '127.0.0.0/8', ['ipv4-mapped', '127.0.0.1']],
  ['::ffff:a9fe:a9fe', 'link-local', '169.254.0.0/16', ['ipv4-mapped', '169.254.169.254']],
  ['::ffff:10.0.0.1', 'private', '10.0.0.0/8', ['ipv4-mapped', '10.0.0.1']],
  ['::ffff:8.8.8.8', 'public', PUBLIC_V4, ['ipv4-mapped', '8.8.8.8']],
  // IPv4-compatible ::/96 (deprecated), after :: and ::1.
  ['::127.0.0.1', 'loopback', '127.0.0.0/8', ['ipv4-compatible', '127.0.0.1']],
  ['::7f00:1', 'loopback', '127.0.0.0/8', ['ipv4-compatible', '127.0.0.1']],
  ['::2', 'this-network', '0.0.0.0/8', ['ipv4-compatible', '0.0.0.2']],
  ['::8.8.8.8', 'public', PUBLIC_V4, ['ipv4-compatible', '8.8.8.8']],
  // IPv4-translated ::ffff:0:0:0/96 (SIIT).
  ['::ffff:0:127.0.0.1', 'loopback', '127.0.0.0/8', ['ipv4-translated', '127.0.0.1']],
  ['::ffff:0:7f00:1', 'loopback', '127.0.0.0/8', ['ipv4-translated', '127.0.0.1']],
  ['::ffff:0:808:808', 'public', PUBLIC_V4, ['ipv4-translated', '8.8.8.8']],
  // NAT64: the well-known prefix carries the address; the local-use /48 is private as a whole.
  ['64:ff9b::127.0.0.1', 'loopback', '127.0.0.0/8', ['nat64', '127.0.0.1']],
  ['64:ff9b::a00:1', 'private', '10.0.0.0/8', ['nat64', '10.0.0.1']],
  ['64:ff9b::808:808', 'public', PUBLIC_V4, ['nat64', '8.8.8.8']],
  ['64:ff9b:1::1', 'nat64-local', '64:ff9b:1::/48'],
  ['64:ff9b:1:ffff::8.8.8.8', 'nat64-local', '64:ff9b:1::/48'],
  ['100::1', 'discard', '100::/64'],
  // Teredo 2001::/32: the client's IPv4 is the last 32 bits inverted.
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback', '127.0.0.0/8', ['teredo', '127.0.0.1']],
  ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'private', '10.0.0.0/8', ['teredo', '10.0.0.1']],
  ['2001::f7f7:f7f7', 'public', PUBLIC_V4, ['teredo', '8.8.8.8']],
  ['2001:1::1', 'ietf-protocol', '2001::/23'],
  ['2001:1ff:ffff::1', 'ietf-protocol', '2001::/23'],
  ['2001:2::1', 'benchmarking', '2001:2::/48'],
  ['2001:10::1', 'orchid', '2001:10::/28'],
  ['2001:20::1', 'orchid', '2001:20::/28'],
  ['2001:200::1', 'public', '2000::/3'],
  ['2001:db8::1', 'documentation', '2001:db8::/32'],
  ['2001:db8:ffff:ffff::1', 'documentation', '2001:db8::/32'],
  ['2001:db9::1', 'public', '2000::/3'],
  // 6to4 2002::/16: bits 16-47 are the IPv4 address.
  ['2002:7f00:1::', 'loopback', '127.0.0.0/8', ['6to4', '127.0.0.1']],
  ['2002:c0a8:101::1', 'private', '192.168.0.0/16', ['6to4', '192.168.1.1']],
  ['2002:808:808::1', 'public', PUBLIC_V4, ['6to4', '8.8.8.8']],
  ['3fff::1', 'documentation', '3fff::/20'],
  ['3fff:fff:ffff::1', 'documentation', '3fff::/20'],
  ['3fff:1000::1', 'public', '2000::/3'],
  ['fbff:ffff::1', 'reserved', '::/0'],
  ['fc00::1', 'unique-local', 'fc00::/7'],
  ['fd12:3456::1', 'unique-local', 'fc00::/7'],
  ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'unique-local', 'fc00::/7'],
  ['fe80::1', 'link-local', 'fe80::/10'],
  ['fe80::1%eth0', 'link-local', 'fe80::/10'],
  ['FEBF::1', 'link-local', 'fe80::/10'],
  ['fec0::1', 'site-local', 'fec0::/10'],
  ['feff::1', 'site-local', 'fec0::/10'],
  ['ff02::1', 'multicast', 'ff00::/8'],
  ['ff0e::101', 'multicast', 'ff00::/8'],
  ['2606:4700:4700::1111', 'public', '2000::/3'],
  ['2a00:1450:4001:80b::200e', 'public', '2000::/3'],
  ['3fff:ffff::1', 'public', '2000::/3'],
  ['1::', 'reserved', '::/0'],
  ['4000::1', 'reserved', '::/0'],
  ['5f00::1', 'reserved', '::/0'],
  ['::ffff:127.0.0.1%lo', 'loopback', '127.0.0.0/8', ['ipv4-mapped', '127.0.0.1']],
];

const NOT_ADDRESSES = [
  '',
  'example.com',
  'localhost',
  '1.2.3.4.5',
  '256.0.0.1',
  '1.256.0.0.1',
  '4294967296',
  '08.0.0.1',
  '0x1g',
  '::ffff:256.0.0.1',
  '::ffff:1.2.3',
  ':::',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7',
  '1::2::3',
  '[::1',
  'g::1',
  '12345::1',
];

const asUrlHost = (address: string): string | null => {
  const bare = address.replace(/^\[|\]$/g, '');
  try {
    return new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return null; // zones are not allowed in URLs
  }
};

describe('classifyAddress', () => {
  for (const [name, cases] of [
    ['IPv4', IPV4_CASES],
    ['IPv6', IPV6_CASES],
  ] as const) {
    it(`judges every ${name} form of the table`, () => {
      for (const [address, kind, range, embedded] of cases) {
        const expected = {
          kind,
          range,
          embedded: embedded ? { form: embedded[0], ipv4: embedded[1] } : null,
        };
        assert.deepEqual(classifyAddress(address), expected, address);
        assert.equal(isPublicAddress(address), kind === 'public', address);
      }
    });
  }

  it('gives the same verdict after Node’s URL parser has normalised the text', () => {
    for (const [address] of [...IPV4_CASES, ...IPV6_CASES]) {
      const host = asUrlHost(address);
      if (host === null) continue;
      assert.deepEqual(classifyAddress(host), classifyAddress(address), `${address} → ${host}`);
    }
  });

  it('has a case for every range of the table', () => {
    const decided = new Set(
      [...IPV4_CASES, ...IPV6_CASES].flatMap(([, , range, embedded]) => [
        range,
        ...(embedded ? [IPV6_RANGES.find((r) => r.embeds === embedded[0])!.cidr] : []),
      ]),
    );
    for (const { cidr } of [...IPV4_RANGES, ...IPV6_RANGES]) {
      assert.ok(decided.has(cidr), `no case for ${cidr}`);
    }
  });

  it('returns null for text that is not an IP address, and never calls it public', () => {
    for (const text of NOT_ADDRESSES) {
      assert.equal(classifyAddress(text), null, text);
      assert.equal(isPublicAddress(text), false, text);
    }
  });
});

describe('privateHost', () => {
  it('refuses private addresses and local names, as URL.hostname gives them', () => {
    const cases: readonly [string, string, string][] = [
      ['127.0.0.1', 'loopback', '127.0.0.0/8'],
      ['[::ffff:7f00:1]', 'loopback', '127.0.0.0/8'],
      ['[::]', 'unspecified', '::/128'],
      ['localhost', 'local-name', '.localhost'],
      ['localhost.', 'local-name', '.localhost'],
      ['vm', 'local-name', 'single-label'],
      ['api.localhost', 'local-name', '.localhost'],
      ['LOCALHOST.LOCALDOMAIN', 'local-name', '.localdomain'],
      ['printer.local', 'local-name', '.local'],
      ['metadata.google.internal', 'local-name', '.internal'],
      ['router.home.arpa', 'local-name', '.home.arpa'],
      ['1.0.0.127.in-addr.arpa', 'local-name', '.in-addr.arpa'],
      ['db.corp', 'local-name', '.corp'],
      ['nas.lan.', 'local-name', '.lan'],
    ];
    for (const [host, kind, range] of cases) {
      const found = privateHost(host);
      assert.equal(found?.kind, kind, host);
      assert.equal(found?.range, range, host);
    }
  });

  it('lets public addresses and names that may be public through', () => {
    for (const host of [
      '8.8.8.8',
      '[2606:4700:4700::1111]',
      'example.com',
      'hooks.shop.example',
      'localhost.example.com',
      'mylocal.com',
      'internal.example.org',
    ]) {
      assert.equal(privateHost(host), null, host);
    }
  });
});
