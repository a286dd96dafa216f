-- The refund transaction's bare minimum on PostgreSQL, the ceiling `npm run bench` measures beside
-- Unwind (in the benchmark's own schema): 10,000 captured orders, then per refund lock the order,
-- insert the refund, update the totals, insert the outbox row (ceiling.pgbench).
DROP TABLE IF EXISTS c_outbox, c_refunds, c_orders;
CREATE TABLE c_orders (id bigint PRIMARY KEY, amount bigint NOT NULL, refunded bigint NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'captured', updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (refunded >= 0 AND refunded <= amount));
CREATE TABLE c_refunds (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES c_orders (id),
  amount bigint NOT NULL, idempotency_key text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE c_outbox (id bigserial PRIMARY KEY, topic text NOT NULL, order_id bigint NOT NULL,
  payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO c_orders (id, amount) SELECT g, 100000000 FROM generate_series(1, 10000) g;
