/**
 * What `unwind serve` says once it listens: where the API and the dashboard are, where the admin
 * token is, which store it uses and whether the test clock is on. One short block for people on
 * stdout, and the same facts as fields of the "unwind is listening" log record. Never a secret:
 * a DATABASE_URL is shown without its user's password.
 */
import type { Config } from '../config.js';
import type { AdminTokenSource } from '../main.js';

export interface ReadySummary {
  /** The block printed to stdout. */
  readonly lines: readonly string[];
  /** The structured log fields. */
  readonly fields: Record<string, string | boolean>;
}

/** PostgreSQL's address without credentials (`host:port/db`), or null if the URL does not parse. */
export function databaseAddress(databaseUrl: string): string | null {
  try {
    const url = new URL(databaseUrl);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return null;
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return null;
  }
}

/** The address people open: PUBLIC_URL when it was set, else the one the server listens on. */
function browsableBase(config: Config, listeningUrl: string): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return config.publicUrl === `http://${host}:${config.port}` ? listeningUrl : config.publicUrl;
}

const TOKEN_HINT: Record<AdminTokenSource, string> = {
  issued: 'printed above, once (only its hash is kept); `npx unwind admin-token` prints a new one',
  env: 'the ADMIN_TOKEN this process was started with',
  stored:
    'generated at an earlier start and printed then; `npx unwind admin-token` prints a new one (the old one stops working)',
};

export function readySummary(
  config: Config,
  facts: { url: string; adminToken: AdminTokenSource; version: string },
): ReadySummary {
  const base = browsableBase(config, facts.url);
  const dashboardUrl = `${base}/dashboard/`;
  const docsUrl = `${base}/docs`;
  const address = config.databaseUrl ? databaseAddress(config.databaseUrl) : null;
  const schema = config.databaseSchema ?? 'public';
  const store = config.databaseUrl
    ? `PostgreSQL ${address ?? '(DATABASE_URL)'}, schema ${schema}`
    : `SQLite in ${config.dataDir} (DATA_DIR)`;
  const clock = config.testClock
    ? 'on: POST /admin/clock and /admin/clock/advance move it'
    : 'off (UNWIND_TEST_CLOCK=1 turns it on)';
  const lines = [
    `Unwind ${facts.version} is ready.`,
    `  API:         ${facts.url} (OpenAPI documents at ${docsUrl})`,
    `  Dashboard:   ${dashboardUrl}`,
    `  Admin token: ${TOKEN_HINT[facts.adminToken]}`,
    `  Store:       ${store}`,
    `  Test clock:  ${clock}`,
  ];
  const fields: Record<string, string | boolean> = {
    url: facts.url,
    dashboard_url: dashboardUrl,
    docs_url: docsUrl,
    version: facts.version,
    admin_token: facts.adminToken,
    store: config.databaseUrl ? 'postgres' : 'sqlite',
    ...(config.databaseUrl
      ? { database: address ?? 'unparsed DATABASE_URL', schema }
      : { data_dir: config.dataDir }),
    test_clock: config.testClock,
  };
  return { lines, fields };
}
