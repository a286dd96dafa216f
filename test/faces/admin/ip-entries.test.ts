// Proves the IP whitelist's entry rule (src/domain/ip-entries.ts), which the admin API's schema
// and the dashboard's form share, takes exactly the addresses Node's `net.isIP` takes (less IPv6
// zone ids), over written cases and generated ones, and judges CIDR prefixes by family.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { ipFamily, isAddressOrBlock } from '../../../src/domain/ip-entries.js';

const WRITTEN = [
  '0.0.0.0',
  '1.1.1.1',
  '255.255.255.255',
  '256.1.1.1',
  '01.1.1.1',
  '1.1.1',
  '1.1.1.1.1',
  ' 1.2.3.4',
  '1.2.3.4 ',
  '1..2.3',
  '1.2.3.-4',
  '0x7f.0.0.1',
  '::',
  '::1',
  '1::',
  'FFFF::',
  'fffff::',
  '1::2::3',
  ':::',
  ':1::',
  '1:::2',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7::',
  '::1:2:3:4:5:6:7',
  '1:2:3:4:5:6:7::8',
  '::ffff:1.2.3.4',
  '::1.2.3.4',
  '1:2:3:4:5:6:1.2.3.4',
  '1:2:3:4:5:6:7:1.2.3.4',
  '1.2.3.4::',
  '1.2.3.4::1',
  '::ffff:01.2.3.4',
  '::ffff:1.2.3',
  '[::1]',
  '',
  ':',
  '.',
  'example.com',
  '2001:db8::',
  '2001:DB8:0:0:0:0:0:1',
  '1:2:3:4:5::1.2.3.4',
  '1:2:3:4:5:6::1.2.3.4',
  '::1.2.3.4:5',
];

/** Random strings over the characters addresses are made of. */
function* generated(count: number, seed: number): Generator<string> {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31);
  const alphabet = '0123456789abcdefABCDEF:.';
  for (let i = 0; i < count; i++) {
    const length = 1 + (next() % 20);
    let text = '';
    for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
    yield text;
  }
}

/** Valid addresses with one character inserted, removed or changed: the near misses. */
function* mutated(seed: number): Generator<string> {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31);
  const alphabet = '0123456789abcdefABCDEF:.g%/ ';
  const valid = WRITTEN.filter((w) => net.isIP(w) !== 0);
  for (const base of valid) {
    for (let i = 0; i < 200; i++) {
      const at = next() % (base.length + 1);
      const c = alphabet[next() % alphabet.length]!;
      const op = next() % 3;
      yield op === 0
        ? base.slice(0, at) + c + base.slice(at)
        : op === 1
          ? base.slice(0, at) + base.slice(at + 1)
          : base.slice(0, at) + c + base.slice(at + 1);
    }
  }
}

describe('IP whitelist entries', () => {
  it('takes exactly the addresses net.isIP takes', () => {
    for (const text of [...WRITTEN, ...generated(20_000, 16), ...mutated(7)]) {
      // An IPv6 zone id is the one form net.isIP takes and the rule does not (below).
      const expected = text.includes('%') ? 0 : net.isIP(text);
      assert.equal(ipFamily(text), expected, JSON.stringify(text));
    }
  });

  it('refuses IPv6 zone ids, which no client address here carries', () => {
    assert.equal(net.isIP('fe80::1%eth0'), 6);
    assert.equal(ipFamily('fe80::1%eth0'), 0);
  });

  it('takes a CIDR prefix that fits the family, and nothing else after the slash', () => {
    for (const good of ['192.0.2.0/24', '192.0.2.1/32', '0.0.0.0/0', '2001:db8::/32', '::/128']) {
      assert.ok(isAddressOrBlock(good), good);
    }
    for (const bad of [
      '192.0.2.0/33',
      '2001:db8::/129',
      '192.0.2.0/',
      '192.0.2.0/-1',
      '192.0.2.0/1/2',
      '192.0.2.0/0x10',
      '192.0.2.0/ 8',
      '/24',
      'example.com/24',
      '192.0.2.0/1000',
    ]) {
      assert.ok(!isAddressOrBlock(bad), bad);
    }
  });
});
