/**
 * Configuration from the environment (README.md#configuration). An optional JSON file,
 * `unwind.config.json` in the working directory or the path in UNWIND_CONFIG, supplies defaults
 * with the same names; the environment wins. Invalid values stop start-up with a message naming the
 * variable.
 */
import path from 'node:path';
import type { OperatorPolicy } from './app/context.js';
import { LIMITS } from './app/limits.js';
import type { ConnectionLimits } from './http/connections.js';
import {
  checkoutConfig,
  smsConfig,
  type CheckoutConfig,
  type SmsConfig,
} from './config/checkout.js';
import { deliveryConfig, type DeliveryConfig } from './config/delivery.js';
import { edgeConfig } from './config/edge.js';
import { operatorConfig } from './config/operators.js';
import { fileDefaults, flag, integer, type Env } from './config/parse.js';

export type { CheckoutConfig, DeliveryConfig, SmsConfig };
export { DELIVERY_LEASE_MS_MIN, deliveryLeaseMsMin } from './config/delivery.js';

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
