/**
 * An in-process Unwind for HTTP tests driven with `app.inject()`: the real server, routes and
 * use cases on a real store (SQLite or PostgreSQL), with a test clock and a known admin token.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { adminAuthenticator } from '../../src/app/admin-tokens.js';
import { TestClock } from '../../src/app/clocks.js';
import {
  type AppDeps,
  DEFAULT_OPERATOR_POLICY,
  type OperatorPolicy,
} from '../../src/app/context.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import { LIMITS } from '../../src/app/limits.js';
import type { CheckoutOptions, CheckoutPolicy } from '../../src/app/points-checkout-codes.js';
import { DevSmsOutbox } from '../../src/sms/dev-outbox.js';
import { verifyLedger } from '../../src/app/verify.js';
import { buildServer } from '../../src/http/server.js';
import { checkoutLimitReaper } from '../../src/jobs/checkout-limit-reaper.js';
import { idempotencyReaper } from '../../src/jobs/idempotency-reaper.js';
import { mpgRequestIdReaper } from '../../src/jobs/mpg-request-id-reaper.js';
import { refundRequestLocker } from '../../src/jobs/refund-request-locker.js';
import { reconciliationFolder } from '../../src/jobs/reconciliation-folder.js';
import { JobRunner } from '../../src/jobs/scheduler.js';
import { deliveryReaper } from '../../src/jobs/delivery-reaper.js';
import {
  type DispatcherSettings,
  dispatcherSettings,
  webhookDispatcher,
} from '../../src/webhooks/dispatcher.js';
import { createSender } from '../../src/webhooks/sender.js';
import type { StoreFactory, TestStore } from './stores.js';

export const TEST_ADMIN_TOKEN = 'unwind_admin_test_token_0123456789';
/** The PUBLIC_URL of in-process test apps, for links to hosted pages. */
export const TEST_PUBLIC_URL = 'http://unwind.test';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly deps: AppDeps;
  readonly clock: TestClock;
  readonly testStore: TestStore;
  /** The development SMS outbox the hosted checkout's codes go to. */
  readonly outbox: DevSmsOutbox;
  /** Injects a request with the admin token unless `headers.authorization` is given. */
  admin(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** `admin()` that must answer `expected`; returns the parsed JSON body (null when empty). */
  call<T>(options: InjectOptions, expected: number): Promise<T>;
  close(): Promise<void>;
}

export type TestAppOptions = NonNullable<Parameters<typeof startTestApp>[1]>;

/**
 * Starts a fresh app (its own store) before the enclosing describe's tests and closes it after;
 * the accessor returns the app once it has started.
 */
export function appPerSuite(factory: StoreFactory, options?: TestAppOptions): () => TestApp {
  let t: TestApp | undefined;
  before(async () => {
    t = await startTestApp(factory, options);
  });
  after(async () => {
    await t?.close();
  });
  return () => {
    assert.ok(t, 'the test app did not start');
    return t;
  };
}

export async function startTestApp(
  factory: StoreFactory,
  options: {
    bodyLimitBytes?: number;
    /**
     * Run `verifyLedger` when the app closes and fail on any violation (default), so every
     * suite also proves the ledger's invariants after its traffic. Off for suites that corrupt
     * the database on purpose.
     */
    verifyOnClose?: boolean;
    /** Requests per credential per minute (the limiter follows the test clock); default none. */
    rateLimitPerMinute?: number;
    /** The reconciliation job's folder (UNWIND_RECONCILE_DIR); default none. */
    reconcileDir?: string;
    /**
     * Serve the test clock's routes (default). False serves the admin API as without
     * UNWIND_TEST_CLOCK; use cases still read the (frozen) clock of `clock`.
     */
    testClockRoutes?: boolean;
    /**
     * UNWIND_WEBHOOK_ALLOW_PRIVATE. Default on: suites deliver to a receiver on 127.0.0.1, which
     * the faces and the sender refuse otherwise.
     */
    webhookAllowPrivate?: boolean;
    /** The dispatcher's settings over the defaults; the sender's timeout is 2 s unless set. */
    delivery?: Partial<DispatcherSettings>;
    /** Operators' settings (UNWIND_REFUND_APPROVAL_ABOVE_MINOR and the rest); default the defaults. */
    operatorPolicy?: Partial<OperatorPolicy>;
    /**
     * The hosted checkout's limits. The default is the production defaults with the per-phone
     * and per-address limits out of the way, for suites that pay many checkouts from one
     * address; the suites that prove the limits set them.
     */
    checkout?: Partial<CheckoutPolicy> & { addressRequestsPerHour?: number };
  } = {},
): Promise<TestApp> {
  const testStore = await factory.create();
  const clock = new TestClock(Date.UTC(2026, 10, 23, 12));
  const allowPrivate = options.webhookAllowPrivate ?? true;
  const deps: AppDeps = {
    store: testStore.store,
    clock,
    newId: uuidV7Generator(clock),
    webhookAllowPrivate: allowPrivate,
    operatorPolicy: { ...DEFAULT_OPERATOR_POLICY, ...options.operatorPolicy },
  };
  const delivery = dispatcherSettings({ timeoutMs: 2_000, ...options.delivery });
  const sender = createSender({ timeoutMs: delivery.timeoutMs, allowPrivate, excerptBytes: 1024 });
  const jobs = new JobRunner(
    [
      refundRequestLocker(deps),
      reconciliationFolder(deps, options.reconcileDir ?? null),
      webhookDispatcher(deps, sender, delivery),
      idempotencyReaper(deps),
      mpgRequestIdReaper(deps, LIMITS.mpgIdRetentionDaysDefault),
      deliveryReaper(deps, LIMITS.deliveryRetentionDaysDefault * 86_400_000),
      checkoutLimitReaper(deps, LIMITS.checkoutLimitWindowMs),
    ],
    { error: () => undefined, warn: () => undefined },
  );
  const outbox = new DevSmsOutbox(LIMITS.smsOutboxCapacity);
  const { addressRequestsPerHour, ...policy } = options.checkout ?? {};
  const checkout: CheckoutOptions = {
    senders: { sender: outbox, sandbox: outbox },
    outbox,
    policy: {
      codeTtlMs: LIMITS.checkoutCodeTtlSecondsDefault * 1000,
      codeSends: LIMITS.checkoutCodeSendsDefault,
      codeAttempts: LIMITS.checkoutCodeAttemptsDefault,
      phoneSendsPerWindow: 1_000_000,
      phoneFailuresPerWindow: 1_000_000,
      phoneWindowMs: LIMITS.checkoutLimitWindowMs,
      ...policy,
    },
    addressRequestsPerHour: addressRequestsPerHour ?? 1_000_000,
  };
  const app = await buildServer({
    deps,
    adminAuth: adminAuthenticator(deps, TEST_ADMIN_TOKEN),
    testClock: options.testClockRoutes === false ? null : clock,
    jobs,
    bodyLimitBytes: options.bodyLimitBytes ?? LIMITS.bodyBytesMax,
    publicUrl: TEST_PUBLIC_URL,
    logger: false,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    checkout,
  });
  await app.ready();
  const admin = (o: InjectOptions) =>
    app.inject({
      ...o,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(o.headers ?? {}) },
    });
  return {
    app,
    deps,
    clock,
    testStore,
    outbox,
    admin,
    async call<T>(options: InjectOptions, expected: number): Promise<T> {
      const res = await admin(options);
      assert.equal(
        res.statusCode,
        expected,
        `${options.method} ${options.url} → ${res.statusCode}: ${res.body}`,
      );
      return (res.body ? res.json() : null) as T;
    },
    async close() {
      const report = options.verifyOnClose === false ? null : await verifyLedger(deps);
      await app.close();
      sender.close();
      // Attempts still in flight end at once (their sockets are gone) and are recorded first.
      await jobs.stop();
      await testStore.cleanup();
      if (report && report.violations.length > 0) {
        // Not a throw: the caller's own cleanup after close() (receivers, servers) must still
        // run, or the test process would hang instead of failing. A non-zero exit code fails
        // the test file; the message says why.
        process.stderr.write(
          `\nLEDGER INCONSISTENT after this suite:\n${report.violations
            .map((v) => `  ${v.subject} ${v.id}: ${v.problem}`)
            .join('\n')}\n`,
        );
        process.exitCode = 1;
      }
    },
  };
}
