/**
 * The one migration list, applied in order to SQLite and to PostgreSQL
 * (docs/decisions/storage.md#one-schema).
 *
 * The SQL is a portable subset: TEXT ids, BIGINT minor units and epoch-millisecond times, JSON as
 * TEXT, INTEGER 0/1 flags, CHECK constraints, partial unique indexes. Where the two engines cannot
 * share a statement (triggers), a migration carries an engine-specific part, and only then.
 * Migrations are append-only: never edit one that has shipped; add the next number.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements for both engines, separated by `;` at the end of a line. */
  readonly sql: string;
  readonly sqlite?: string;
  readonly postgres?: string;
  /**
   * The SQLite part rebuilds a table that other tables reference (to widen a CHECK, which SQLite
   * cannot alter: docs/architecture.md "Adding a dialect"). Dropping such a table fails under
   * foreign keys, so on SQLite the migration runs with them off, and its references are checked
   * (`PRAGMA foreign_key_check`) before it commits: a dangling one fails the migration.
   */
  readonly sqliteRebuildsReferencedTable?: boolean;
}
