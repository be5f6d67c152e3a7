-- Function verifier fixture: each defect class has a function that must be reported (bad_*)
-- and a near miss that must stay clean (ok_*). Applied to an empty database as one script.

CREATE TABLE public.users (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  email text,
  org_id uuid
);

CREATE TABLE public.orders (
  id serial PRIMARY KEY,
  user_id uuid REFERENCES public.users (id),
  amount numeric NOT NULL DEFAULT 0,
  tags jsonb
);

CREATE TABLE public.invoices (
  id serial PRIMARY KEY,
  order_id int,
  total numeric
);

-- A column that does not exist ------------------------------------------------------------

CREATE FUNCTION public.bad_missing_column(p_id uuid) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_name text;
BEGIN
  SELECT u.nickname INTO v_name FROM public.users u WHERE u.id = p_id;
  RETURN v_name;
END;
$$;

CREATE FUNCTION public.ok_missing_column(p_id uuid) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_name text;
BEGIN
  SELECT u.name INTO v_name FROM public.users u WHERE u.id = p_id;
  RETURN v_name;
END;
$$;

-- A table that does not exist -------------------------------------------------------------

CREATE FUNCTION public.bad_missing_table() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM public.user_profiles;
  RETURN n;
END;
$$;

CREATE FUNCTION public.ok_missing_table() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM public.users;
  RETURN n;
END;
$$;

-- An INSERT naming a column that does not exist -------------------------------------------

CREATE FUNCTION public.bad_insert_columns(p_user uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.orders (user_id, price)
  VALUES (p_user, 10);
END;
$$;

CREATE FUNCTION public.ok_insert_columns(p_user uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.orders (user_id, amount)
  VALUES (p_user, 10);
END;
$$;

-- An operator that does not exist: text = uuid[] and text = uuid ---------------------------

CREATE FUNCTION public.bad_operator(p_ids uuid[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM public.users u WHERE u.name = p_ids;
  SELECT count(*) INTO n FROM public.users u WHERE u.email = ANY (p_ids);
  RETURN n;
END;
$$;

CREATE FUNCTION public.ok_operator(p_ids uuid[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM public.users u WHERE u.id = ANY (p_ids);
  RETURN n;
END;
$$;

-- A cast that does not exist: jsonb to integer[] ------------------------------------------

CREATE FUNCTION public.bad_cast(p_order int) RETURNS int[]
LANGUAGE plpgsql AS $$
DECLARE
  v_tags int[];
BEGIN
  SELECT o.tags::integer[] INTO v_tags FROM public.orders o WHERE o.id = p_order;
  RETURN v_tags;
END;
$$;

CREATE FUNCTION public.ok_cast(p_order int) RETURNS int[]
LANGUAGE plpgsql AS $$
DECLARE
  v_tags int[];
BEGIN
  SELECT ARRAY(SELECT jsonb_array_elements_text(o.tags)::int) INTO v_tags FROM public.orders o WHERE o.id = p_order;
  RETURN v_tags;
END;
$$;

-- An aggregate over a column of another table ---------------------------------------------

CREATE FUNCTION public.bad_aggregate(p_order int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
  v_sum numeric;
BEGIN
  SELECT sum(i.amount) INTO v_sum FROM public.invoices i WHERE i.order_id = p_order;
  RETURN v_sum;
END;
$$;

CREATE FUNCTION public.ok_aggregate(p_order int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
  v_sum numeric;
BEGIN
  SELECT sum(i.total) INTO v_sum FROM public.invoices i WHERE i.order_id = p_order;
  RETURN v_sum;
END;
$$;

-- An ambiguous column: OUT columns named like the table's columns --------------------------

CREATE FUNCTION public.bad_ambiguous(p_user uuid) RETURNS TABLE (id int, amount numeric)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
  SELECT id, amount FROM public.orders WHERE user_id = p_user;
END;
$$;

CREATE FUNCTION public.ok_ambiguous_qualified(p_user uuid) RETURNS TABLE (id int, amount numeric)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
  SELECT o.id, o.amount FROM public.orders o WHERE o.user_id = p_user;
END;
$$;

CREATE FUNCTION public.ok_ambiguous_use_column(p_user uuid) RETURNS TABLE (id int, amount numeric)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT id, amount FROM public.orders WHERE user_id = p_user;
END;
$$;

CREATE FUNCTION public.ok_order_by_output_name() RETURNS TABLE (total numeric)
LANGUAGE plpgsql AS $$
BEGIN
  -- ORDER BY an output column name: SQL resolves it before PL/pgSQL sees it
  RETURN QUERY
  SELECT i.total AS total FROM public.invoices i ORDER BY total;
END;
$$;

-- ON CONFLICT (id) with an OUT column id: Postgres resolves the target through PL/pgSQL
CREATE FUNCTION public.bad_on_conflict(p_user uuid) RETURNS TABLE (id int)
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.orders AS o (id, user_id) VALUES (1, p_user)
  ON CONFLICT (id) DO NOTHING;
  RETURN;
END;
$$;

CREATE FUNCTION public.ok_on_conflict(p_user uuid) RETURNS TABLE (id int)
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.orders AS o (id, user_id) VALUES (1, p_user)
  ON CONFLICT ON CONSTRAINT orders_pkey DO NOTHING;
  RETURN;
END;
$$;

-- A variable named like an SQL keyword ----------------------------------------------------

CREATE FUNCTION public.bad_keyword_variable() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  current_time timestamptz := clock_timestamp();
BEGIN
  RETURN 'started ' || current_time;
END;
$$;

CREATE FUNCTION public.bad_keyword_parameter("user" text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RETURN 'hello ' || "user";
END;
$$;

CREATE FUNCTION public.ok_keyword_variable() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_current_time timestamptz := clock_timestamp();
BEGIN
  RETURN 'started ' || v_current_time;
END;
$$;

-- An SQL-language body whose table was dropped after it was created -----------------------

CREATE TABLE public.legacy_totals (total numeric);

CREATE FUNCTION public.bad_sql_body() RETURNS numeric
LANGUAGE sql AS $$
  SELECT sum(total)
    FROM public.legacy_totals
$$;

DROP TABLE public.legacy_totals;

CREATE TABLE public.archive_rows (n int);

CREATE FUNCTION public.ok_sql_suppressed() RETURNS bigint
LANGUAGE sql AS $$
  -- pgwarden-ignore function-body-invalid -- the nightly job attaches the archive table first
  SELECT count(*) FROM public.archive_rows
$$;

DROP TABLE public.archive_rows;

-- Created the way pg_dump output does, without body checks: verify checks it anyway
SET check_function_bodies = off;

CREATE FUNCTION public.bad_sql_body_unchecked() RETURNS bigint
LANGUAGE sql AS $$
  SELECT count(u.nickname) FROM public.users u
$$;

SET check_function_bodies = on;

CREATE FUNCTION public.ok_sql_body() RETURNS numeric
LANGUAGE sql AS $$
  SELECT sum(total)
    FROM public.invoices
$$;

-- A function's own search_path applies to its statements -------------------------------

CREATE SCHEMA app;
CREATE TABLE app.things (id int PRIMARY KEY, label text);

CREATE FUNCTION app.ok_own_search_path(p_id int) RETURNS text
LANGUAGE plpgsql SET search_path = app, pg_temp AS $$
DECLARE
  v_label text;
BEGIN
  SELECT t.label INTO v_label FROM things t WHERE t.id = p_id;
  RETURN v_label;
END;
$$;

CREATE FUNCTION public.bad_empty_search_path(p_id int) RETURNS text
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
  v_label text;
BEGIN
  SELECT t.label INTO v_label FROM things t WHERE t.id = p_id;
  RETURN v_label;
END;
$$;

-- Procedures are verified like functions ------------------------------------------------

CREATE PROCEDURE public.bad_procedure(p_user uuid)
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE public.users SET last_seen = now() WHERE id = p_user;
END;
$$;

-- What cannot be checked statically is skipped, not reported ------------------------------

CREATE FUNCTION public.ok_temp_table() RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
  v_sum numeric;
BEGIN
  CREATE TEMP TABLE tmp_totals ON COMMIT DROP AS SELECT o.amount FROM public.orders o;
  SELECT sum(t.amount) INTO v_sum FROM tmp_totals t;
  RETURN v_sum;
END;
$$;

CREATE FUNCTION public.ok_dynamic(p_table text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %I', p_table) INTO n;
  RETURN n;
END;
$$;

CREATE FUNCTION public.ok_return_query_execute(p_table text) RETURNS SETOF bigint
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format('SELECT count(*) FROM %I', p_table);
END;
$$;

CREATE FUNCTION public.ok_record_loop() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_names text := '';
BEGIN
  FOR r IN SELECT u.name FROM public.users u LOOP
    v_names := v_names || r.name;
  END LOOP;
  RETURN v_names;
END;
$$;

-- A variable declared with a table's row type (no %ROWTYPE) reads fields

CREATE FUNCTION public.ok_row_type_variable() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_user public.users;
BEGIN
  SELECT * INTO v_user FROM public.users LIMIT 1;
  RETURN v_user.name;
END;
$$;

CREATE FUNCTION public.bad_row_type_field() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_user public.users;
BEGIN
  SELECT * INTO v_user FROM public.users LIMIT 1;
  RETURN v_user.nickname;
END;
$$;

-- Labels, function-name qualifiers and exception variables name variables

CREATE FUNCTION public.ok_block_label(p_id uuid) RETURNS text
LANGUAGE plpgsql AS $$
<<outer>>
DECLARE
  name text;
BEGIN
  SELECT u.name INTO outer.name FROM public.users u WHERE u.id = ok_block_label.p_id;
  RETURN outer.name;
END;
$$;

CREATE FUNCTION public.ok_exception_handler(p_divisor int) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 / p_divisor;
  RETURN 'ok';
EXCEPTION WHEN division_by_zero THEN
  RETURN 'failed: ' || SQLERRM || ' (' || SQLSTATE || ')';
END;
$$;

CREATE FUNCTION public.ok_polymorphic(p_value anyelement) RETURNS anyelement
LANGUAGE plpgsql AS $$
BEGIN
  RETURN p_value;
END;
$$;

CREATE FUNCTION public.ok_record_arithmetic() RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_total numeric := 0;
BEGIN
  FOR r IN SELECT o.amount, 2 AS factor FROM public.orders o LOOP
    v_total := v_total + r.amount * r.factor;
  END LOOP;
  RETURN v_total;
END;
$$;

CREATE FUNCTION public.bad_record_loop_insert() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT o.id, o.amount FROM public.orders o LOOP
    INSERT INTO public.invoices (order_id, amount) VALUES (r.id, r.amount);
  END LOOP;
END;
$$;

CREATE FUNCTION public.bad_row_field_assignment() RETURNS public.users
LANGUAGE plpgsql AS $$
DECLARE
  v_user public.users%ROWTYPE;
BEGIN
  SELECT * INTO v_user FROM public.users LIMIT 1;
  v_user.nickname := 'x';
  RETURN v_user;
END;
$$;

-- Trigger functions are checked against the table of their trigger -----------------------

CREATE FUNCTION public.bad_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.name := trim(NEW.nickname);
  RETURN NEW;
END;
$$;

CREATE TRIGGER users_bad_trigger BEFORE INSERT ON public.users
  FOR EACH ROW EXECUTE FUNCTION public.bad_trigger();

CREATE FUNCTION public.ok_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.name := trim(NEW.name);
  IF TG_OP = 'UPDATE' AND OLD.email IS DISTINCT FROM NEW.email THEN
    NEW.org_id := NULL;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER users_ok_trigger BEFORE INSERT OR UPDATE ON public.users
  FOR EACH ROW EXECUTE FUNCTION public.ok_trigger();

CREATE FUNCTION public.ok_transition_table() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.invoices (order_id, total)
  SELECT n.id, n.amount FROM new_orders n;
  RETURN NULL;
END;
$$;

CREATE TRIGGER orders_ok_transition_table AFTER INSERT ON public.orders
  REFERENCING NEW TABLE AS new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION public.ok_transition_table();

-- Every error of a function, not only the first --------------------------------------------

CREATE FUNCTION public.bad_several(p_user uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE public.users SET nickname = 'x' WHERE id = p_user;
  DELETE FROM public.order_lines WHERE user_id = p_user;
END;
$$;

-- Suppressions with a reason --------------------------------------------------------------

CREATE FUNCTION public.ok_suppressed(p_user uuid) RETURNS TABLE (id int, amount numeric)
LANGUAGE plpgsql AS $$
BEGIN
  -- pgwarden-ignore function-ambiguous-column -- the OUT columns are the table's, by design
  RETURN QUERY
  SELECT id, amount FROM public.orders WHERE user_id = p_user;
END;
$$;

CREATE FUNCTION public.bad_ignore_comments(p_user uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  -- pgwarden-ignore function-no-such-rule -- misspelt
  UPDATE public.users SET name = 'x' WHERE id = p_user;
  -- pgwarden-ignore function-invalid-statement
  UPDATE public.users SET nickname = 'x' WHERE id = p_user;
END;
$$;
