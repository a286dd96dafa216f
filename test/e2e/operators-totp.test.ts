// Proves TOTP over HTTP on both stores: enrolment shows a secret once and takes effect only when
// a code from it is confirmed; sign-in then asks for the code (401 auth.code_required), refuses a
// wrong one and a code used before, and accepts the next step's; an admin can remove it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hmacSha1 } from '../../src/app/secrets.js';
import { base32Decode, totp, TOTP_STEP_MS } from '../../src/domain/totp.js';
import { appPerSuite } from '../support/app.js';
import { asSession, createOperator, errorCodeOf, signedIn, signIn } from '../support/operators.js';
import { onEveryStore, type StoreFactory } from '../support/stores.js';

function totpSuite(factory: StoreFactory, skip?: string) {
  describe(`operators' TOTP over HTTP: ${factory.engine}`, { skip }, () => {
    const app = appPerSuite(factory);

    it('enrols with a confirmed code, then signs in with a code that works once', async () => {
      const t = app();
      const id = await createOperator(t, 'tariq', 'viewer');
      const session = await signedIn(t, 'tariq');
      const started = await asSession(t, session, {
        method: 'POST',
        url: '/admin/operators/me/totp',
      });
      assert.equal(started.statusCode, 201, started.body);
      const { secret, otpauth_uri } = started.json() as { secret: string; otpauth_uri: string };
      assert.match(otpauth_uri, /^otpauth:\/\/totp\/Unwind%3Atariq\?secret=/);
      const key = base32Decode(secret)!;
      const code = (offsetSteps = 0) =>
        totp(hmacSha1, key, t.clock.now() + offsetSteps * TOTP_STEP_MS);

      assert.equal((await signIn(t, 'tariq')).statusCode, 201, 'not enrolled until confirmed');
      const wrong = await asSession(t, session, {
        method: 'POST',
        url: '/admin/operators/me/totp/confirm',
        payload: { code: code() === '000000' ? '000001' : '000000' },
      });
      assert.equal(errorCodeOf(wrong), 'operator.totp_invalid');
      const confirmed = await asSession(t, session, {
        method: 'POST',
        url: '/admin/operators/me/totp/confirm',
        payload: { code: code() },
      });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal((confirmed.json() as { totp_enabled: boolean }).totp_enabled, true);

      const noCode = await signIn(t, 'tariq');
      assert.equal(noCode.statusCode, 401);
      assert.equal(errorCodeOf(noCode), 'auth.code_required');
      const reused = await signIn(t, 'tariq', { code: code() });
      assert.equal(errorCodeOf(reused), 'auth.code_invalid', 'the confirming code works once');
      t.clock.advance(TOTP_STEP_MS);
      assert.equal((await signIn(t, 'tariq', { code: code() })).statusCode, 201);
      assert.equal(
        errorCodeOf(await signIn(t, 'tariq', { code: code() })),
        'auth.code_invalid',
        'a code works once',
      );
      t.clock.advance(TOTP_STEP_MS);
      assert.equal((await signIn(t, 'tariq', { code: code(1) })).statusCode, 201, 'drift +1');
      assert.equal(
        (await signIn(t, 'tariq', { password: 'not the password', code: code(1) })).statusCode,
        401,
      );

      await t.call({ method: 'DELETE', url: `/admin/operators/${id}/totp` }, 200);
      assert.equal((await signIn(t, 'tariq')).statusCode, 201, 'removed by an admin');
      const byBootstrap = await t.admin({ method: 'POST', url: '/admin/operators/me/totp' });
      assert.equal(byBootstrap.statusCode, 403, 'the bootstrap token has no TOTP of its own');
    });
  });
}

await onEveryStore(totpSuite);
