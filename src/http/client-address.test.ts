// Proves how client addresses are keyed and matched: IPv4 as itself (also through an IPv6
// socket), IPv6 by its /64 whatever its spelling, anything else bounded in length; and the
// trusted-proxy matcher on single addresses and CIDR blocks of both families.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey, addressMatcher, plainAddress } from './client-address.js';

describe('addressKey', () => {
  it('keys an IPv4 address by itself, also when seen through an IPv6 socket', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(plainAddress('::FFFF:10.0.0.1'), '10.0.0.1');
  });

  it('keys an IPv6 address by its /64, however it is written', () => {
    const key = '2001:db8:1:2::/64';
    assert.equal(addressKey('2001:db8:1:2::1'), key);
    assert.equal(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), key);
    assert.equal(addressKey('2001:DB8:1:2:0:0:0:9'), key);
    assert.equal(addressKey('2001:db8:1:2::1%eth0'), key, 'a zone id is ignored');
    assert.notEqual(addressKey('2001:db8:1:3::1'), key, 'the next /64 is another client');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('2001:db8::'), '2001:db8:0:0::/64');
    assert.equal(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  });

  it('keys anything that is no address by its first 64 characters', () => {
    assert.equal(addressKey('unknown'), 'other:unknown');
    assert.equal(addressKey('x'.repeat(10_000)).length, 'other:'.length + 64);
  });
});

describe('addressMatcher', () => {
  it('matches single addresses and CIDR blocks of both families', () => {
    const trusted = addressMatcher(['10.0.0.0/8', '192.0.2.10', '2001:db8::/32']);
    assert.equal(trusted('10.200.3.4'), true);
    assert.equal(trusted('::ffff:10.200.3.4'), true, 'an IPv4 address through an IPv6 socket');
    assert.equal(trusted('11.0.0.1'), false);
    assert.equal(trusted('192.0.2.10'), true);
    assert.equal(trusted('192.0.2.11'), false);
    assert.equal(trusted('2001:db8:ffff::1'), true);
    assert.equal(trusted('2001:db9::1'), false);
    assert.equal(trusted('not an address'), false);
  });

  it('trusts no one when the list is empty', () => {
    assert.equal(addressMatcher([])('127.0.0.1'), false);
  });
});
