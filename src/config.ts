/**
 * Configuration from the environment (README.md#configuration). An optional JSON file,
 * `unwind.config.json` in the working directory or the path in UNWIND_CONFIG, supplies defaults
 * with the same names; the environment wins. Invalid values stop start-up with a message naming the
 * variable.
 */
import { DEFAULT_OPERATOR_POLICY, type OperatorPolicy } from './app/context.js';
import { BOUNDS } from './domain/bounds.js';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { LIMITS } from './app/limits.js';
import type { ConnectionLimits } from './http/connections.js';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  /** PostgreSQL when set; SQLite in `dataDir` otherwise. */
  readonly databaseUrl: string | null;
  /** PostgreSQL schema to use instead of `public`. */
  readonly databaseSchema: string | null;
  readonly databasePoolSize: number;
  readonly dataDir: string;
  readonly adminToken: string | null;
  readonly testClock: boolean;
  readonly workers: boolean;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  /** Register and deliver webhooks to private and loopback hosts (default off, whatever HOST). */
  readonly webhookAllowPrivate: boolean;
  /** Webhook delivery: timeouts, claims, concurrency, endpoint health, retention. */
  readonly delivery: DeliveryConfig;
  /** Operators' invites and four-eyes refunds. */
  readonly operatorPolicy: OperatorPolicy;
  /** Days MPG body ids (`order_id`, `transaction_id`) are kept by the reaper (default 7). */
  readonly mpgIdRetentionDays: number;
  /** Requests per credential per minute in this process; 0 disables the limit. */
  readonly rateLimitPerMinute: number;
  /** Folder the reconciliation job watches for settlement reports; null: the job does nothing. */
  readonly reconcileDir: string | null;
  /** How hosted-checkout codes reach customers: the development outbox or an SMS gateway. */
  readonly sms: SmsConfig;
  /** The hosted checkout's verification limits. */
  readonly checkout: CheckoutConfig;
  /** Proxies (addresses and CIDRs) whose X-Forwarded-For names the client; empty: none. */
  readonly trustedProxies: readonly string[];
  /** Failed authentications per client address per face per minute before it is refused. */
  readonly authFailuresPerMinute: number;
  /** Header, body and idle timeouts and connection caps (src/http/connections.ts). */
  readonly connections: ConnectionLimits;
}

export interface DeliveryConfig {
  /** One webhook POST's timeout. */
  readonly timeoutMs: number;
  /** How long a delivery claim lasts; see src/webhooks/dispatcher.ts. */
  readonly leaseMs: number;
  /** Attempts in flight at once in this process, to one endpoint, to one merchant. */
  readonly concurrency: number;
  readonly endpointConcurrency: number;
  readonly merchantConcurrency: number;
  /** Continuous failure after which an endpoint is disabled. */
  readonly disableAfterMs: number;
  /** How long delivered deliveries and their attempts are kept. */
  readonly retentionMs: number;
}

export type SmsConfig =
  | { readonly sender: 'dev' }
  | {
      readonly sender: 'http';
      readonly url: string;
      readonly token: string;
      readonly timeoutMs: number;
    };

export interface CheckoutConfig {
  readonly codeTtlSeconds: number;
  /** Codes one session may send. */
  readonly codeSends: number;
  /** Wrong codes one session takes; the last closes it. */
  readonly codeAttempts: number;
  /** Codes one phone is sent per hour. */
  readonly phoneSendsPerHour: number;
  /** Wrong codes one phone takes per hour. */
  readonly phoneFailuresPerHour: number;
  /** Code requests and code checks one client address makes per hour, per process. */
  readonly addressRequestsPerHour: number;
}

export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'DATABASE_URL',
  'UNWIND_DB_SCHEMA',
  'DATABASE_POOL_SIZE',
  'DATA_DIR',
  'ADMIN_TOKEN',
  'UNWIND_TEST_CLOCK',
  'UNWIND_WORKERS',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'UNWIND_WEBHOOK_ALLOW_PRIVATE',
  'UNWIND_DELIVERY_LEASE_MS',
  'UNWIND_WEBHOOK_TIMEOUT_MS',
  'UNWIND_DELIVERY_CONCURRENCY',
  'UNWIND_DELIVERY_ENDPOINT_CONCURRENCY',
  'UNWIND_DELIVERY_MERCHANT_CONCURRENCY',
  'UNWIND_WEBHOOK_DISABLE_AFTER_DAYS',
  'UNWIND_DELIVERY_RETENTION_DAYS',
  'UNWIND_MPG_ID_RETENTION_DAYS',
  'UNWIND_RATE_LIMIT_PER_MINUTE',
  'UNWIND_RECONCILE_DIR',
  'UNWIND_SMS_SENDER',
  'UNWIND_SMS_HTTP_URL',
  'UNWIND_SMS_HTTP_TOKEN',
  'UNWIND_SMS_HTTP_TIMEOUT_MS',
  'UNWIND_CHECKOUT_CODE_TTL_SECONDS',
  'UNWIND_CHECKOUT_CODE_SENDS',
  'UNWIND_CHECKOUT_CODE_ATTEMPTS',
  'UNWIND_CHECKOUT_PHONE_SENDS_PER_HOUR',
  'UNWIND_CHECKOUT_PHONE_FAILURES_PER_HOUR',
  'UNWIND_CHECKOUT_ADDRESS_PER_HOUR',
  'UNWIND_TRUSTED_PROXIES',
  'UNWIND_AUTH_FAILURES_PER_MINUTE',
  'UNWIND_HEADERS_TIMEOUT_MS',
  'UNWIND_REQUEST_TIMEOUT_MS',
  'UNWIND_UPLOAD_TIMEOUT_MS',
  'UNWIND_KEEP_ALIVE_TIMEOUT_MS',
  'UNWIND_MAX_CONNECTIONS',
  'UNWIND_MAX_CONNECTIONS_PER_ADDRESS',
] as const;

/** A cut-off after the sender's own timeout (src/webhooks/dispatcher.ts). */
const ATTEMPT_CUT_OFF_MS = 1_000;

/**
 * The shortest claim lease for a webhook timeout: an attempt starts when it is claimed and ends
 * within the timeout plus the dispatcher's cut-off; the lease must outlast that and the write that
 * records it by a margin, or another process could send the delivery again while it is in flight.
 */
export const deliveryLeaseMsMin = (timeoutMs: number): number =>
  timeoutMs + ATTEMPT_CUT_OFF_MS + LIMITS.deliveryLeaseMarginMs;

/** The shortest lease with the default timeout. */
export const DELIVERY_LEASE_MS_MIN = deliveryLeaseMsMin(LIMITS.webhookTimeoutMs);

const DAY_MS = 86_400_000;

function deliveryConfig(env: Env): DeliveryConfig {
  const timeoutMs = integer(
    env,
    'UNWIND_WEBHOOK_TIMEOUT_MS',
    LIMITS.webhookTimeoutMs,
    1_000,
    60_000,
  );
  const count = (name: string, fallback: number) => integer(env, name, fallback, 1, 100_000);
  const days = (name: string, fallback: number) => integer(env, name, fallback, 1, 3650) * DAY_MS;
  return {
    timeoutMs,
    // A claim must outlive the attempt it covers (see deliveryLeaseMsMin).
    leaseMs: integer(
      env,
      'UNWIND_DELIVERY_LEASE_MS',
      LIMITS.deliveryLeaseMs,
      deliveryLeaseMsMin(timeoutMs),
      3_600_000,
    ),
    concurrency: count('UNWIND_DELIVERY_CONCURRENCY', LIMITS.deliveryConcurrency),
    endpointConcurrency: count(
      'UNWIND_DELIVERY_ENDPOINT_CONCURRENCY',
      LIMITS.deliveryEndpointConcurrency,
    ),
    merchantConcurrency: count(
      'UNWIND_DELIVERY_MERCHANT_CONCURRENCY',
      LIMITS.deliveryMerchantConcurrency,
    ),
    disableAfterMs: days(
      'UNWIND_WEBHOOK_DISABLE_AFTER_DAYS',
      LIMITS.webhookDisableAfterDaysDefault,
    ),
    retentionMs: days('UNWIND_DELIVERY_RETENTION_DAYS', LIMITS.deliveryRetentionDaysDefault),
  };
}

type Env = Readonly<Record<string, string | undefined>>;

function fileDefaults(env: Env, cwd: string): Env {
  const file = env['UNWIND_CONFIG'] ?? path.join(cwd, 'unwind.config.json');
  if (!fs.existsSync(file)) {
    if (env['UNWIND_CONFIG']) throw new Error(`UNWIND_CONFIG: ${file} does not exist`);
    return {};
  }
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected a JSON object of configuration variables`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Decimal digits only: Number() alone would also read "0x10", "1e3" and " 5 " as integers.
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 1 or 0, got "${raw}"`);
}

/** Hosts an operator's SMS relay may be reached at over plain http. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The SMS sender. The gateway's URL must be https, or http to a loopback host (a local relay):
 * the bearer token must not cross a network in clear.
 */
function smsConfig(env: Env): SmsConfig {
  const sender = env['UNWIND_SMS_SENDER'] || 'dev';
  if (sender === 'dev') return { sender };
  if (sender !== 'http') throw new Error(`UNWIND_SMS_SENDER must be dev or http, got "${sender}"`);
  const raw = env['UNWIND_SMS_HTTP_URL'] ?? '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('UNWIND_SMS_HTTP_URL must be an absolute URL when UNWIND_SMS_SENDER=http');
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname.replace(/^\[|\]$/g, ''));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error('UNWIND_SMS_HTTP_URL must be https (or http to a loopback host)');
  }
  if (url.username || url.password) {
    throw new Error('UNWIND_SMS_HTTP_URL must not carry credentials; use UNWIND_SMS_HTTP_TOKEN');
  }
  const token = env['UNWIND_SMS_HTTP_TOKEN'] ?? '';
  if (token === '' || token.length > 4096 || /[\r\n]/.test(token)) {
    throw new Error('UNWIND_SMS_HTTP_TOKEN must be set (one line, at most 4096 characters)');
  }
  const timeoutMs = integer(
    env,
    'UNWIND_SMS_HTTP_TIMEOUT_MS',
    LIMITS.smsHttpTimeoutMsDefault,
    100,
    60_000,
  );
  return { sender, url: url.toString(), token, timeoutMs };
}

function checkoutConfig(env: Env): CheckoutConfig {
  const count = (name: string, fallback: number, max: number) =>
    integer(env, name, fallback, 1, max);
  return {
    codeTtlSeconds: integer(
      env,
      'UNWIND_CHECKOUT_CODE_TTL_SECONDS',
      LIMITS.checkoutCodeTtlSecondsDefault,
      30,
      3_600,
    ),
    codeSends: count('UNWIND_CHECKOUT_CODE_SENDS', LIMITS.checkoutCodeSendsDefault, 20),
    codeAttempts: count('UNWIND_CHECKOUT_CODE_ATTEMPTS', LIMITS.checkoutCodeAttemptsDefault, 20),
    phoneSendsPerHour: count(
      'UNWIND_CHECKOUT_PHONE_SENDS_PER_HOUR',
      LIMITS.checkoutPhoneSendsDefault,
      1_000,
    ),
    phoneFailuresPerHour: count(
      'UNWIND_CHECKOUT_PHONE_FAILURES_PER_HOUR',
      LIMITS.checkoutPhoneFailuresDefault,
      1_000,
    ),
    addressRequestsPerHour: count(
      'UNWIND_CHECKOUT_ADDRESS_PER_HOUR',
      LIMITS.checkoutAddressRequestsDefault,
      1_000_000,
    ),
  };
}
/** A comma-separated list of IP addresses and CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`). */
function addressList(env: Env, name: string): string[] {
  const raw = env[name] ?? '';
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = net.isIP(address);
    const bits = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new Error(`${name} must list IP addresses or CIDR blocks, got "${entry}"`);
    }
  }
  return entries;
}

/** A duration in milliseconds from 100 ms to `max`. */
const milliseconds = (env: Env, name: string, fallback: number, max: number) =>
  integer(env, name, fallback, 100, max);

export function loadConfig(processEnv: Env = process.env, cwd: string = process.cwd()): Config {
  const env: Env = { ...fileDefaults(processEnv, cwd), ...processEnv };
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env['HOST'] || '127.0.0.1';
  const schema = env['UNWIND_DB_SCHEMA'] || null;
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error('UNWIND_DB_SCHEMA must be a lower-case SQL identifier');
  }
  return {
    port,
    host,
    publicUrl: (
      env['PUBLIC_URL'] || `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    ).replace(/\/$/, ''),
    databaseUrl: env['DATABASE_URL'] || null,
    databaseSchema: schema,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    dataDir: path.resolve(cwd, env['DATA_DIR'] || './data'),
    adminToken: env['ADMIN_TOKEN'] || null,
    testClock: flag(env, 'UNWIND_TEST_CLOCK', false),
    workers: flag(env, 'UNWIND_WORKERS', true),
    logLevel: env['LOG_LEVEL'] || 'info',
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', LIMITS.bodyBytesMax, 1024, 64 * 1_048_576),
    // Never implied by HOST: a server listening on loopback still sends to the network.
    webhookAllowPrivate: flag(env, 'UNWIND_WEBHOOK_ALLOW_PRIVATE', false),
    delivery: deliveryConfig(env),
    mpgIdRetentionDays: integer(
      env,
      'UNWIND_MPG_ID_RETENTION_DAYS',
      LIMITS.mpgIdRetentionDaysDefault,
      1,
      3650,
    ),
    rateLimitPerMinute: integer(
      env,
      'UNWIND_RATE_LIMIT_PER_MINUTE',
      LIMITS.rateLimitPerMinuteDefault,
      0,
      1_000_000_000,
    ),
    reconcileDir: env['UNWIND_RECONCILE_DIR']
      ? path.resolve(cwd, env['UNWIND_RECONCILE_DIR'])
      : null,
    sms: smsConfig(env),
    checkout: checkoutConfig(env),
    ...edgeConfig(env),
    operatorPolicy: operatorConfig(env),
  };
}

/** The HTTP edge: trusted proxies, the failed-authentication limit, timeouts, connection caps. */
function edgeConfig(env: Env) {
  return {
    trustedProxies: addressList(env, 'UNWIND_TRUSTED_PROXIES'),
    authFailuresPerMinute: integer(
      env,
      'UNWIND_AUTH_FAILURES_PER_MINUTE',
      LIMITS.authFailuresPerMinuteDefault,
      1,
      1_000_000,
    ),
    connections: {
      headersTimeoutMs: milliseconds(
        env,
        'UNWIND_HEADERS_TIMEOUT_MS',
        LIMITS.headersTimeoutMsDefault,
        600_000,
      ),
      requestTimeoutMs: milliseconds(
        env,
        'UNWIND_REQUEST_TIMEOUT_MS',
        LIMITS.requestTimeoutMsDefault,
        3_600_000,
      ),
      uploadTimeoutMs: milliseconds(
        env,
        'UNWIND_UPLOAD_TIMEOUT_MS',
        LIMITS.uploadTimeoutMsDefault,
        86_400_000,
      ),
      keepAliveTimeoutMs: milliseconds(
        env,
        'UNWIND_KEEP_ALIVE_TIMEOUT_MS',
        LIMITS.keepAliveTimeoutMsDefault,
        600_000,
      ),
      connectionsMax: integer(
        env,
        'UNWIND_MAX_CONNECTIONS',
        LIMITS.connectionsMaxDefault,
        1,
        1_000_000,
      ),
      connectionsPerAddressMax: integer(
        env,
        'UNWIND_MAX_CONNECTIONS_PER_ADDRESS',
        LIMITS.connectionsPerAddressMaxDefault,
        1,
        1_000_000,
      ),
    },
  };
}

/**
 * Operators (issue 17): refunds above UNWIND_REFUND_APPROVAL_ABOVE_MINOR (unset: no four-eyes
 * unless a merchant sets its own) wait UNWIND_REFUND_APPROVAL_TTL_MS for a second operator; an
 * invite can be accepted for UNWIND_OPERATOR_INVITE_TTL_MS.
 */
function operatorConfig(env: Env): OperatorPolicy {
  const above = env['UNWIND_REFUND_APPROVAL_ABOVE_MINOR'];
  return {
    approvalAboveMinor:
      above === undefined || above === ''
        ? DEFAULT_OPERATOR_POLICY.approvalAboveMinor
        : integer(env, 'UNWIND_REFUND_APPROVAL_ABOVE_MINOR', 0, 0, BOUNDS.amountMinorMax),
    approvalTtlMs: integer(
      env,
      'UNWIND_REFUND_APPROVAL_TTL_MS',
      DEFAULT_OPERATOR_POLICY.approvalTtlMs,
      60_000,
      30 * 86_400_000,
    ),
    inviteTtlMs: integer(
      env,
      'UNWIND_OPERATOR_INVITE_TTL_MS',
      DEFAULT_OPERATOR_POLICY.inviteTtlMs,
      60_000,
      30 * 86_400_000,
    ),
  };
}
