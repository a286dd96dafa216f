/**
 * Configuration from the environment (DESIGN.md §4). An optional JSON file, `unwind.config.json`
 * in the working directory or the path in UNWIND_CONFIG, supplies defaults with the same names;
 * the environment wins. Invalid values stop start-up with a message naming the variable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LIMITS } from './app/limits.js';

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
  /** How long a webhook delivery claim lasts; see src/webhooks/dispatcher.ts. */
  readonly deliveryLeaseMs: number;
  /** Days MPG body ids (`order_id`, `transaction_id`) are kept by the reaper (default 7). */
  readonly mpgIdRetentionDays: number;
  /** Requests per credential per minute in this process; 0 disables the limit. */
  readonly rateLimitPerMinute: number;
  /** Folder the reconciliation job watches for settlement reports; null: the job does nothing. */
  readonly reconcileDir: string | null;
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
  'UNWIND_MPG_ID_RETENTION_DAYS',
  'UNWIND_RATE_LIMIT_PER_MINUTE',
  'UNWIND_RECONCILE_DIR',
] as const;

/**
 * The shortest claim lease: a dispatcher step sends its batch in ceil(batch / concurrency)
 * rounds of up to one webhook timeout each and records the attempts only after the last, so a
 * claim must outlive all the rounds plus that write, or another process could send the same
 * delivery again while the first is still sending it.
 */
export const DELIVERY_LEASE_MS_MIN =
  Math.ceil(LIMITS.deliveryBatchSize / LIMITS.deliveryConcurrency) * LIMITS.webhookTimeoutMs +
  5_000;

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
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
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
    // A claim must outlive a whole dispatcher step (see DELIVERY_LEASE_MS_MIN).
    deliveryLeaseMs: integer(
      env,
      'UNWIND_DELIVERY_LEASE_MS',
      LIMITS.deliveryLeaseMs,
      DELIVERY_LEASE_MS_MIN,
      3_600_000,
    ),
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
  };
}
