/**
 * How the CLI reports what went wrong: every message says what was expected, or what to check.
 * A `UsageError` is a refusal of the command line itself (exit 2); anything else is explained by
 * `describeFailure` (exit 1).
 */

/** A command line that cannot be carried out as given; its message says what was expected. */
export class UsageError extends Error {}

interface SystemError {
  readonly code?: unknown;
  readonly message?: unknown;
}

/** Hints for failures whose own message does not say what to do. */
const HINTS: Record<string, string> = {
  ECONNREFUSED:
    'nothing answers at that address: is PostgreSQL running, and does DATABASE_URL name it?',
  ENOTFOUND: 'the host name does not resolve: check DATABASE_URL',
  ETIMEDOUT: 'the database did not answer in time: check DATABASE_URL and the network',
  '28P01': "PostgreSQL refused the user's password: check DATABASE_URL",
  '28000': 'PostgreSQL refused the connection: check the user in DATABASE_URL',
  '3D000': 'the database named in DATABASE_URL does not exist: create it first',
  EACCES: 'permission denied: check that DATA_DIR (default ./data) is writable',
  SQLITE_CANTOPEN: 'SQLite cannot open its file: check that DATA_DIR (default ./data) is writable',
  SQLITE_BUSY: 'another process holds the SQLite database locked: try again',
  EADDRINUSE: 'the port is taken: stop the other process or start with another PORT',
};

/** One line: the failure and, when known, what to do about it. */
export function describeFailure(error: unknown): string {
  // A connection tried on several addresses fails with an AggregateError whose own message is
  // empty: its first error says what happened.
  if (error instanceof AggregateError && !error.message && error.errors.length > 0) {
    return describeFailure(error.errors[0]);
  }
  const { code, message } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as SystemError;
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  const hint = typeof code === 'string' ? HINTS[code] : undefined;
  return hint ? `${text} (${hint})` : text;
}
