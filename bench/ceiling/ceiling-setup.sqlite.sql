-- The same bare refund transaction's tables on SQLite (ceiling-setup.postgres.sql in SQLite's
-- types: integer keys, epoch milliseconds, JSON as text), in a file beside the store's.
DROP TABLE IF EXISTS c_outbox;
DROP TABLE IF EXISTS c_refunds;
DROP TABLE IF EXISTS c_orders;
CREATE TABLE c_orders (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, refunded INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'captured', updated_at INTEGER NOT NULL DEFAULT 0,
  CHECK (refunded >= 0 AND refunded <= amount));
CREATE TABLE c_refunds (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES c_orders (id),
  amount INTEGER NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
CREATE TABLE c_outbox (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, order_id INTEGER NOT NULL,
  payload TEXT NOT NULL, created_at INTEGER NOT NULL);
WITH RECURSIVE g (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 10000)
INSERT INTO c_orders (id, amount) SELECT n, 100000000 FROM g;
