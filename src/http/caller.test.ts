// Proves the shared caller store of the Points, Backd and MPG faces: a request that was never
// admitted is refused as auth_missing (the face renders it as its own 401/400), not a 500; an
// admitted one reads back its caller; the actor names the credential by its prefix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import type { Authenticated } from '../app/merchants.js';
import { admitCaller, callerOf, credentialActor } from './caller.js';
import { HttpProblem } from './faces.js';

const fakeRequest = () => ({ server: { unwindRateLimiter: null } }) as unknown as FastifyRequest;

const caller = {
  merchant: { id: 'm-1' },
  credential: { id: 'c-1', prefix: 'pts_sk_abc' },
} as unknown as Authenticated;

describe('caller', () => {
  it('a request without an admitted caller is auth_missing', () => {
    assert.throws(
      () => callerOf(fakeRequest()),
      (e: unknown) => e instanceof HttpProblem && e.kind === 'auth_missing',
    );
  });

  it('an admitted caller is read back for that request only', () => {
    const request = fakeRequest();
    admitCaller(request, caller);
    assert.equal(callerOf(request), caller);
    assert.throws(() => callerOf(fakeRequest()), HttpProblem);
  });

  it('the actor is the credential, by its visible prefix', () => {
    assert.deepEqual(credentialActor(caller), { kind: 'credential', prefix: 'pts_sk_abc' });
  });
});
