-- Every object kind the catalog snapshot records, in schema app (roles from the supabase preset).
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application objects';

CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';
CREATE DOMAIN app.email AS text DEFAULT 'nobody@example.org' NOT NULL CONSTRAINT email_has_at CHECK (VALUE ~ '@');
COMMENT ON DOMAIN app.email IS 'an address';
CREATE TYPE app.money_amount AS (amount numeric(12,2), currency character(3));
CREATE SEQUENCE app.ticket_seq AS integer;

CREATE TABLE app.accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email app.email NOT NULL UNIQUE,
  name varchar(80) COLLATE "C",
  mood app.mood DEFAULT 'ok',
  tags text[],
  matrix integer[][],
  balance app.money_amount,
  name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
  ticket integer DEFAULT nextval('app.ticket_seq'),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.accounts IS 'customer accounts';
COMMENT ON COLUMN app.accounts.email IS 'login';
ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.accounts FORCE ROW LEVEL SECURITY;

CREATE TABLE app.orders (
  id serial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE DEFERRABLE,
  amount numeric,
  placed_at date NOT NULL
);
ALTER TABLE app.orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0) NOT VALID;
CREATE INDEX orders_account_idx ON app.orders (account_id) INCLUDE (placed_at) WHERE amount > 0;
CREATE INDEX orders_expr_idx ON app.orders (lower(amount::text), placed_at);

CREATE TABLE app.events (id bigint, at date NOT NULL, payload jsonb) PARTITION BY RANGE (at);
CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE TRIGGER orders_touch AFTER INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.orders DISABLE TRIGGER orders_touch;

CREATE POLICY accounts_select ON app.accounts FOR SELECT TO authenticated, anon USING (true);
CREATE POLICY accounts_insert ON app.accounts AS RESTRICTIVE FOR INSERT TO authenticated WITH CHECK (name IS NOT NULL);

CREATE VIEW app.account_names WITH (security_invoker = true, security_barrier) AS SELECT id, name FROM app.accounts;
CREATE VIEW app.order_totals AS SELECT account_id, sum(amount) AS total FROM app.orders GROUP BY account_id;
CREATE MATERIALIZED VIEW app.order_stats AS SELECT count(*) AS n FROM app.orders;
CREATE UNIQUE INDEX order_stats_n ON app.order_stats (n);
COMMENT ON VIEW app.order_totals IS 'per account';

CREATE FUNCTION app.add(a integer, b integer DEFAULT 1, OUT total integer) LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a + b';
COMMENT ON FUNCTION app.add(integer, integer) IS 'adds';
CREATE FUNCTION app.account(p_id bigint) RETURNS SETOF app.accounts LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
BEGIN ATOMIC
  SELECT * FROM app.accounts WHERE id = p_id;
END;
CREATE PROCEDURE app.noop(VARIADIC xs text[]) LANGUAGE plpgsql AS $$ BEGIN END $$;

GRANT USAGE ON SCHEMA app TO authenticated;
GRANT SELECT, INSERT ON app.accounts TO authenticated;
GRANT SELECT ON app.order_stats TO anon;
REVOKE EXECUTE ON FUNCTION app.account(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.account(bigint) TO authenticated;
