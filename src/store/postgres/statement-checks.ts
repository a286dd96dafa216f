/**
 * PostgreSQL's errors as the app knows them, and statements that check their own outcome. A write
 * sent behind (`SqlSession.write`) is never answered before COMMIT, so a check that would follow
 * it in TypeScript (exactly one row changed) must be made by the statement: it fails, and with it
 * the transaction, instead of answering a count.
 */
import { UniqueViolation } from '../../app/ports/store.js';
import { AssertionFailure } from '../../domain/result.js';

const UNIQUE_VIOLATION = '23505';

// What `exactlyOneRow` makes a wrong row count raise, and how the error is recognised.
const ASSERTION_MARK = 'unwind assertion: ';

/**
 * The app's view of a database error: a unique violation as UniqueViolation (the app retries
 * it), a statement's own row-count check (`exactlyOneRow`) as the AssertionFailure it stands for.
 */
export function translated(error: unknown): unknown {
  const e = error as { code?: string; constraint?: string; message?: unknown };
  if (e.code === UNIQUE_VIOLATION) return new UniqueViolation(e.constraint ?? 'unknown');
  const message = typeof e.message === 'string' ? e.message : '';
  const at = message.indexOf(ASSERTION_MARK);
  if (at >= 0) return new AssertionFailure(message.slice(at + ASSERTION_MARK.length, -1));
  return error;
}

/**
 * `sql` (an INSERT, UPDATE or DELETE without RETURNING) as a statement that fails unless it
 * changed exactly one row, so the check needs no answer and the write can go behind. The failure
 * is a cast of the message to an integer, which PostgreSQL refuses with the message in its error;
 * the row count in it keeps the planner from folding the cast ahead of time.
 */
export function exactlyOneRow(
  sql: string,
  params: readonly unknown[],
  failure: string,
): [string, unknown[]] {
  return [
    `WITH w AS (${sql} RETURNING 1) ${failUnless('(SELECT count(*) FROM w) = 1', '(SELECT count(*) FROM w)')}`,
    [...params, failure],
  ];
}

/**
 * A SELECT that answers 1 when `condition` holds and otherwise fails the statement with the
 * message of the last parameter (`?`) and `detail`, a non-constant SQL expression.
 */
export const failUnless = (condition: string, detail: string): string =>
  `SELECT CASE WHEN ${condition} THEN 1
     ELSE CAST('${ASSERTION_MARK}' || ? || ' (' || ${detail} || ')' AS integer) END AS ok`;
