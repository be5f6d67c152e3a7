-- The same schema as every-kind.sql, written in another statement order and style:
-- the snapshot must be identical.
CREATE SCHEMA app;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SEQUENCE app.ticket_seq AS integer;
CREATE TYPE app.money_amount AS (amount numeric(12,2), currency character(3));
CREATE TYPE app.mood AS ENUM ('sad', 'meh', 'ok', 'happy');
CREATE DOMAIN app.email AS text NOT NULL DEFAULT 'nobody@example.org';
ALTER DOMAIN app.email ADD CONSTRAINT email_has_at CHECK (VALUE ~ '@');
COMMENT ON SCHEMA app IS 'application objects';

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_at := now();
  RETURN NEW;
END
$$;
CREATE PROCEDURE app.noop(VARIADIC xs text[]) LANGUAGE plpgsql AS $$ BEGIN END $$;

CREATE TABLE app.events (id bigint, at date NOT NULL, payload jsonb) PARTITION BY RANGE (at);
CREATE TABLE app.events_2025 (id bigint, at date NOT NULL, payload jsonb);
ALTER TABLE app.events ATTACH PARTITION app.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE TABLE app.accounts (
  id bigint GENERATED ALWAYS AS IDENTITY,
  email app.email NOT NULL,
  name varchar(80) COLLATE "C",
  mood app.mood DEFAULT 'ok',
  tags text[],
  matrix integer[][],
  balance app.money_amount,
  name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
  ticket integer DEFAULT nextval('app.ticket_seq'),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accounts_email_key UNIQUE (email),
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);
CREATE TABLE app.orders (
  id serial,
  account_id bigint NOT NULL,
  amount numeric,
  placed_at date NOT NULL
);
ALTER TABLE app.orders ADD PRIMARY KEY (id);
CREATE INDEX orders_expr_idx ON app.orders (lower(amount::text), placed_at);
CREATE INDEX orders_account_idx ON app.orders (account_id) INCLUDE (placed_at) WHERE amount > 0;
ALTER TABLE app.orders ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES app.accounts (id) ON DELETE CASCADE DEFERRABLE;
ALTER TABLE app.orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0) NOT VALID;
COMMENT ON COLUMN app.accounts.email IS 'login';
COMMENT ON TABLE app.accounts IS 'customer accounts';
ALTER TABLE app.accounts FORCE ROW LEVEL SECURITY;
ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;

CREATE MATERIALIZED VIEW app.order_stats AS SELECT count(*) AS n FROM app.orders;
CREATE UNIQUE INDEX order_stats_n ON app.order_stats (n);
CREATE VIEW app.order_totals AS SELECT account_id, sum(amount) AS total FROM app.orders GROUP BY account_id;
COMMENT ON VIEW app.order_totals IS 'per account';
CREATE VIEW app.account_names AS SELECT id, name FROM app.accounts;
ALTER VIEW app.account_names SET (security_barrier = true, security_invoker = true);

CREATE POLICY accounts_insert ON app.accounts AS RESTRICTIVE FOR INSERT TO authenticated WITH CHECK (name IS NOT NULL);
CREATE POLICY accounts_select ON app.accounts FOR SELECT TO anon, authenticated USING (true);
CREATE TRIGGER orders_touch AFTER INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.orders DISABLE TRIGGER orders_touch;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app.touch();

CREATE FUNCTION app.account(p_id bigint) RETURNS SETOF app.accounts LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
BEGIN ATOMIC
  SELECT * FROM app.accounts WHERE id = p_id;
END;
REVOKE ALL ON FUNCTION app.account(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.account(bigint) TO authenticated;
CREATE FUNCTION app.add(a integer, b integer DEFAULT 1, OUT total integer) LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a + b';
COMMENT ON FUNCTION app.add(integer, integer) IS 'adds';
COMMENT ON DOMAIN app.email IS 'an address';

GRANT SELECT ON app.order_stats TO anon;
GRANT INSERT, SELECT ON app.accounts TO authenticated;
GRANT USAGE ON SCHEMA app TO authenticated;
