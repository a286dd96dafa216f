/**
 * What a store has asked of its database since it opened, for `GET /admin/metrics` and the
 * benchmark (docs/operations.md "Benchmarks"). The adapters count in their session wrappers with
 * integer increments, so every statement is counted however the SQL is organised.
 */
export interface StoreCounters {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * SQL statements sent: each prepared statement, and BEGIN, COMMIT, ROLLBACK, SAVEPOINT and
   * RELEASE. A script without parameters (a migration's DDL) counts as one.
   */
  readonly statements: number;
  /**
   * Write transactions begun (each `Store.transaction` and each migration). On SQLite a unit of a
   * group commit counts as one, whatever the number of units its group carried.
   */
  readonly transactions: number;
  /** COMMITs that reached the database; on SQLite one per group of transactions. */
  readonly commits: number;
  /**
   * Rollbacks: on PostgreSQL each transaction rolled back; on SQLite each unit rolled back to its
   * savepoint, and each group (or migration) rolled back whole.
   */
  readonly rollbacks: number;
  /** Read sessions (`Store.read`), which run outside any write transaction. */
  readonly reads: number;
  /**
   * Exchanges with the database server, each waiting for its answer (PostgreSQL; opening a
   * pooled connection is not counted); null on SQLite, which runs in the process.
   */
  readonly roundTrips: number | null;
}
