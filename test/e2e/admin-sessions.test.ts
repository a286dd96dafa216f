// Proves the dashboard session rules in the use cases on both stores, where the HTTP suite cannot
// reach: a session ends exactly at its expiry (one millisecond before it still works), a revoked or
// rotated admin token ends every session opened with it, and only the hash of the cookie's secret
// is stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_SESSION_LIFETIME_MS,
  closeAdminSession,
  csrfTokenFor,
  csrfTokenMatches,
  findActiveAdminSession,
  openAdminSession,
} from '../../src/app/admin-sessions.js';
import { adminAuthenticator, issueAdminToken } from '../../src/app/admin-tokens.js';
import { TestClock } from '../../src/app/clocks.js';
import type { AppDeps } from '../../src/app/context.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import { hashSecret } from '../../src/app/secrets.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const T0 = Date.UTC(2026, 10, 23, 9);

function sessionRulesSuite(factory: StoreFactory, skip?: string) {
  describe(`admin sessions: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let deps: AppDeps;
    before(async () => {
      store = await factory.create();
      const clock = new TestClock(T0);
      deps = { store: store.store, clock, newId: uuidV7Generator(clock) };
    });
    after(async () => store?.cleanup());

    it('ends exactly at expires_at: one millisecond before, the session still works', async () => {
      const auth = adminAuthenticator(deps, 'env_admin_token_for_sessions');
      const opened = await openAdminSession(deps, auth, {
        token: 'env_admin_token_for_sessions',
        userAgent: 'test',
        now: T0,
      });
      assert.ok(opened);
      assert.equal(opened.expiresAt, T0 + ADMIN_SESSION_LIFETIME_MS);
      const at = (now: number) => findActiveAdminSession(deps, auth, opened.secret, now);
      assert.ok(await at(T0));
      assert.ok(await at(opened.expiresAt - 1));
      assert.equal(await at(opened.expiresAt), null);
      assert.equal(await at(opened.expiresAt + 1), null);
    });

    it('stores only the hash of the secret; an unknown or wrong token opens nothing', async () => {
      const auth = adminAuthenticator(deps, 'env_admin_token_for_sessions');
      assert.equal(
        await openAdminSession(deps, auth, { token: 'wrong', userAgent: null, now: T0 }),
        null,
      );
      const opened = await openAdminSession(deps, auth, {
        token: 'env_admin_token_for_sessions',
        userAgent: null,
        now: T0,
      });
      assert.ok(opened);
      const stored = await deps.store.read(async (tx) => tx.findAdminSessionByHash(opened.secret));
      assert.equal(stored, undefined, 'the plaintext secret is not a stored key');
      const byHash = await deps.store.read((tx) =>
        tx.findAdminSessionByHash(hashSecret(opened.secret)),
      );
      assert.ok(byHash, 'the session is stored under the hash of its secret');
      assert.equal(byHash.expiresAt, opened.expiresAt);
      assert.ok(!JSON.stringify(byHash).includes(opened.secret), 'no column holds the secret');
      assert.equal(await findActiveAdminSession(deps, auth, `${opened.secret}x`, T0), null);
    });

    it('the CSRF token is bound to its session and checked in constant time', async () => {
      const auth = adminAuthenticator(deps, 'env_admin_token_for_sessions');
      const open = () =>
        openAdminSession(deps, auth, {
          token: 'env_admin_token_for_sessions',
          userAgent: null,
          now: T0,
        });
      const [a, b] = [await open(), await open()];
      assert.ok(a && b);
      assert.notEqual(a.csrfToken, b.csrfToken);
      assert.equal(a.csrfToken, csrfTokenFor(a.secret));
      const session = await findActiveAdminSession(deps, auth, a.secret, T0);
      assert.ok(session);
      assert.equal(csrfTokenMatches(session, a.csrfToken), true);
      assert.equal(csrfTokenMatches(session, b.csrfToken), false);
      assert.equal(csrfTokenMatches(session, ''), false);
    });

    it('signing out ends the session; signing out twice is harmless', async () => {
      const auth = adminAuthenticator(deps, 'env_admin_token_for_sessions');
      const opened = await openAdminSession(deps, auth, {
        token: 'env_admin_token_for_sessions',
        userAgent: null,
        now: T0,
      });
      assert.ok(opened);
      const session = await findActiveAdminSession(deps, auth, opened.secret, T0);
      assert.ok(session);
      await closeAdminSession(deps, session.id, T0 + 1);
      await closeAdminSession(deps, session.id, T0 + 2);
      assert.equal(await findActiveAdminSession(deps, auth, opened.secret, T0 + 3), null);
    });

    it('rotating the generated admin token ends the sessions opened with the old one', async () => {
      const auth = adminAuthenticator(deps, undefined);
      const first = await issueAdminToken(deps);
      const opened = await openAdminSession(deps, auth, { token: first, userAgent: null, now: T0 });
      assert.ok(opened);
      assert.ok(await findActiveAdminSession(deps, auth, opened.secret, T0));
      const second = await issueAdminToken(deps);
      assert.equal(await findActiveAdminSession(deps, auth, opened.secret, T0), null);
      assert.equal(
        await openAdminSession(deps, auth, { token: first, userAgent: null, now: T0 }),
        null,
      );
      const fresh = await openAdminSession(deps, auth, { token: second, userAgent: null, now: T0 });
      assert.ok(fresh && (await findActiveAdminSession(deps, auth, fresh.secret, T0)));
    });

    it('a session opened with ADMIN_TOKEN ends when the process runs with another one', async () => {
      const before = adminAuthenticator(deps, 'env_token_one');
      const opened = await openAdminSession(deps, before, {
        token: 'env_token_one',
        userAgent: null,
        now: T0,
      });
      assert.ok(opened);
      const after = adminAuthenticator(deps, 'env_token_two');
      assert.equal(await findActiveAdminSession(deps, after, opened.secret, T0), null);
    });

    it('expired sessions are deleted at the next sign-in', async () => {
      const auth = adminAuthenticator(deps, 'env_admin_token_for_sessions');
      const old = await openAdminSession(deps, auth, {
        token: 'env_admin_token_for_sessions',
        userAgent: null,
        now: T0,
      });
      assert.ok(old);
      const later = T0 + ADMIN_SESSION_LIFETIME_MS + 1;
      await openAdminSession(deps, auth, {
        token: 'env_admin_token_for_sessions',
        userAgent: null,
        now: later,
      });
      const row = await deps.store.read((tx) => tx.findAdminSessionByHash(hashSecret(old.secret)));
      assert.equal(row, undefined);
    });
  });
}

sessionRulesSuite(sqliteFactory);
sessionRulesSuite(postgresFactory, await postgresSkipReason());
