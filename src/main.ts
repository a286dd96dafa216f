/**
 * The composition root: the only place that knows every part. It opens the store, applies
 * migrations, chooses the clock, builds the server and the jobs, and wires graceful shutdown.
 */
import type { FastifyInstance } from 'fastify';
import { adminAuthenticator, ensureAdminToken } from './app/admin-tokens.js';
import { systemClock, TestClock } from './app/clocks.js';
import type { AppDeps } from './app/context.js';
// The dialects' hooks, registered with the core once for the process (src/app/dialect-hooks.ts).
import './app/dialects.js';
import { uuidV7Generator } from './app/ids.js';
import { assertLimits, LIMITS } from './app/limits.js';
import type { CheckoutOptions } from './app/points-checkout-codes.js';
import type { Store } from './app/ports/store.js';
import type { Config } from './config.js';
import { buildServer } from './http/server.js';
import { checkoutLimitReaper } from './jobs/checkout-limit-reaper.js';
import { idempotencyReaper } from './jobs/idempotency-reaper.js';
import { mpgRequestIdReaper } from './jobs/mpg-request-id-reaper.js';
import { deliveryReaper } from './jobs/delivery-reaper.js';
import { refundRequestLocker } from './jobs/refund-request-locker.js';
import { reconciliationFolder } from './jobs/reconciliation-folder.js';
import { JobRunner } from './jobs/scheduler.js';
import { openPostgresStore } from './store/postgres/postgres-store.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import { dispatcherSettings, webhookDispatcher } from './webhooks/dispatcher.js';
import { createSender, type WebhookSender } from './webhooks/sender.js';
import { DevSmsOutbox } from './sms/dev-outbox.js';
import { createHttpSmsSender } from './sms/http-sender.js';

export function openStore(config: Config): Store {
  return config.databaseUrl
    ? openPostgresStore({
        connectionString: config.databaseUrl,
        poolSize: config.databasePoolSize,
        ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
      })
    : openSqliteStore({ dataDir: config.dataDir });
}

/**
 * The hosted checkout's senders and limits from the configuration. The development outbox always
 * exists: it is the sender with UNWIND_SMS_SENDER=dev, and it keeps the codes of Points' sandbox
 * numbers at sandbox merchants whatever the sender.
 */
export function checkoutOptions(config: Config): CheckoutOptions {
  const outbox = new DevSmsOutbox(LIMITS.smsOutboxCapacity);
  const sender = config.sms.sender === 'http' ? createHttpSmsSender(config.sms) : outbox;
  const c = config.checkout;
  return {
    senders: { sender, sandbox: outbox },
    outbox,
    policy: {
      codeTtlMs: c.codeTtlSeconds * 1000,
      codeSends: c.codeSends,
      codeAttempts: c.codeAttempts,
      phoneSendsPerWindow: c.phoneSendsPerHour,
      phoneFailuresPerWindow: c.phoneFailuresPerHour,
      phoneWindowMs: LIMITS.checkoutLimitWindowMs,
    },
    addressRequestsPerHour: c.addressRequestsPerHour,
  };
}

/** How the admin API's token came to be: ADMIN_TOKEN, generated now (printed), or stored earlier. */
export type AdminTokenSource = 'env' | 'issued' | 'stored';

export interface RunningUnwind {
  readonly server: FastifyInstance;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** Where the admin token comes from (the start-up summary says where to find it). */
  readonly adminToken: AdminTokenSource;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where the one-time admin token banner goes (stdout by default). */
  readonly announce?: (line: string) => void;
  /** Logger settings; false silences request logs (tests). */
  readonly logger?: false | { level: string };
}

/** Unwind put together but not listening: the server answers `inject()`, jobs run on demand. */
export interface AssembledUnwind {
  readonly server: FastifyInstance;
  readonly deps: AppDeps;
  readonly jobs: JobRunner;
  readonly adminToken: AdminTokenSource;
  /** Stops the jobs and closes the server, the webhook sender and the store. */
  close(): Promise<void>;
}

export interface AssembleOptions extends StartOptions {
  /**
   * The clock use cases and jobs read instead of the configured one: `unwind demo` drives a test
   * clock of its own to seed a history. The test clock's routes follow `config.testClock` only.
   */
  readonly clock?: TestClock;
}

/** Opens the store and migrates it; a store that fails to migrate is closed again. */
async function openMigratedStore(config: Config): Promise<Store> {
  const store = openStore(config);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Where the admin token comes from; one issued now is announced once. */
async function adminTokenSource(
  deps: AppDeps,
  config: Config,
  announce: (line: string) => void,
): Promise<AdminTokenSource> {
  let adminToken: AdminTokenSource = 'env';
  if (!config.adminToken) {
    const issued = await ensureAdminToken(deps);
    adminToken = issued ? 'issued' : 'stored';
    // Shown once, outside the JSON logs: only its hash is stored.
    if (issued) {
      announce(
        `Admin token (shown once; store it now, or run \`unwind admin-token\` for a new one):`,
      );
      announce(`  ${issued}`);
    }
  }
  return adminToken;
}

/** The background jobs, in the order each round runs them. */
function jobRunner(
  deps: AppDeps,
  config: Config,
  sender: WebhookSender,
  log: FastifyInstance['log'],
): JobRunner {
  return new JobRunner(
    [
      // Before the dispatcher, so the events it writes leave in the same round.
      refundRequestLocker(deps, log),
      reconciliationFolder(deps, config.reconcileDir, log),
      webhookDispatcher(deps, sender, dispatcherSettings(config.delivery), {
        log,
        stepWhenFreed: true,
      }),
      idempotencyReaper(deps),
      mpgRequestIdReaper(deps, config.mpgIdRetentionDays),
      deliveryReaper(deps, config.delivery.retentionMs),
      checkoutLimitReaper(deps, LIMITS.checkoutLimitWindowMs),
    ],
    log,
  );
}

/**
 * Stops taking requests, lets in-flight ones and the current round of jobs finish, then closes the
 * database, so nothing acknowledged is cut off half-way. Every call answers the same closing.
 */
function closer(
  server: FastifyInstance,
  jobs: JobRunner,
  sender: { close(): void },
  store: Store,
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      const force = setTimeout(() => server.server.closeAllConnections(), LIMITS.shutdownGraceMs);
      try {
        await jobs.stop();
        await server.close();
      } finally {
        clearTimeout(force);
        sender.close();
        await store.close();
      }
    })();
    return closing;
  };
}

/**
 * Opens the store (migrating it), makes sure an admin token exists, and builds the server and the
 * job runner, without listening or starting the job loops.
 */
export async function assembleUnwind(
  config: Config,
  options: AssembleOptions = {},
): Promise<AssembledUnwind> {
  assertLimits();
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = await openMigratedStore(config);
  const testClock = config.testClock ? (options.clock ?? new TestClock()) : null;
  const clock = options.clock ?? testClock ?? systemClock;
  // Filled in once the job runner exists: a commit nudges the webhook dispatcher.
  let nudge = (): void => undefined;
  const deps: AppDeps = {
    store,
    clock,
    newId: uuidV7Generator(clock),
    afterCommit: () => nudge(),
    webhookAllowPrivate: config.webhookAllowPrivate,
    operatorPolicy: config.operatorPolicy,
  };

  const adminToken = await adminTokenSource(deps, config, announce);

  const server = await buildServer({
    deps,
    adminAuth: adminAuthenticator(deps, config.adminToken ?? undefined),
    testClock,
    jobs: { runDue: () => jobs.runDue() },
    bodyLimitBytes: config.bodyLimitBytes,
    publicUrl: config.publicUrl,
    logger: options.logger ?? { level: config.logLevel },
    rateLimitPerMinute: config.rateLimitPerMinute,
    checkout: checkoutOptions(config),
    authFailuresPerMinute: config.authFailuresPerMinute,
    trustedProxies: config.trustedProxies,
    connections: config.connections,
  });
  if (config.sms.sender === 'dev') {
    server.log.warn(
      'UNWIND_SMS_SENDER=dev: hosted-checkout codes are not sent to customers; operators read them at GET /admin/points/otp',
    );
  }
  const sender = createSender({
    timeoutMs: config.delivery.timeoutMs,
    allowPrivate: config.webhookAllowPrivate,
    excerptBytes: LIMITS.responseExcerptBytes,
  });
  const jobs = jobRunner(deps, config, sender, server.log);
  nudge = () => jobs.nudge();

  const close = closer(server, jobs, sender, store);
  return { server, deps, jobs, adminToken, close };
}

export async function startUnwind(
  config: Config,
  options: StartOptions = {},
): Promise<RunningUnwind> {
  const { server, jobs, adminToken, close } = await assembleUnwind(config, options);
  try {
    await server.listen({ port: config.port, host: config.host });
  } catch (error) {
    await close();
    throw error;
  }
  if (config.webhookAllowPrivate) {
    // Meant for development and trusted networks only: say so where operators look.
    server.log.warn(
      { setting: 'UNWIND_WEBHOOK_ALLOW_PRIVATE' },
      'webhooks may be registered for and delivered to private and loopback addresses',
    );
  }
  const address = server.server.address();
  const url =
    address && typeof address === 'object'
      ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
      : config.publicUrl;
  if (config.workers) jobs.start();
  return { server, url, adminToken, stop: close };
}
