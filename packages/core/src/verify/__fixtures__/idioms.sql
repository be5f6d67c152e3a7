-- Common PL/pgSQL idioms that are correct: the verifier must report none of them (precision).
-- Applied after functions.sql (it uses its tables).

ALTER TABLE public.users ADD COLUMN updated_at timestamptz;
CREATE UNIQUE INDEX users_email_key ON public.users (email);

CREATE FUNCTION public.ok_idioms_control_flow(p_ids uuid[], p_n int, p_kind text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
  v_count int := 0;
  i int := 0;
  v_label text;
BEGIN
  FOREACH v_id IN ARRAY p_ids LOOP
    CONTINUE WHEN v_id IS NULL;
    v_count := v_count + 1;
  END LOOP;
  FOR j IN 1..p_n LOOP
    EXIT WHEN j > 10;
    i := i + j;
  END LOOP;
  WHILE i < 100 LOOP
    i := i * 2;
  END LOOP;
  CASE p_kind
    WHEN 'a' THEN v_label := 'first';
    WHEN 'b', 'c' THEN v_label := 'later';
    ELSE v_label := 'other';
  END CASE;
  CASE
    WHEN v_count > 10 THEN v_label := v_label || '+';
    ELSE NULL;
  END CASE;
  ASSERT v_count >= 0, 'count is never negative';
  RAISE NOTICE 'label % count %', v_label, v_count USING HINT = 'just a notice';
  RETURN v_count + $2;
END;
$$;

CREATE FUNCTION public.ok_idioms_queries(p_id uuid, p_days int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_name text;
  v_ids uuid[];
  v_rows int;
  v_user public.users%ROWTYPE;
  v_payload jsonb;
  v_interval interval;
  v_total bigint;
BEGIN
  SELECT INTO STRICT v_name u.name FROM public.users u WHERE u.id = p_id;
  SELECT array_agg(u.id) INTO v_ids FROM public.users u;
  UPDATE public.users SET updated_at = now() WHERE id = p_id RETURNING * INTO v_user;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'user % not found', p_id USING ERRCODE = 'P0002';
  END IF;
  v_user.name := upper(v_user.name);
  v_payload := jsonb_build_object('id', v_user.id, 'name', v_name, 'rows', v_rows);
  PERFORM pg_notify('users', v_payload::text);
  v_total := (SELECT count(*) FROM public.orders o WHERE o.user_id = p_id);
  v_interval := p_days * interval '1 day';
  INSERT INTO public.users AS u (id, name, email) VALUES (p_id, v_name, v_name || '@example.com')
  ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name;
  RETURN format('%s %s %s', v_name, v_total, v_interval) || E'\n';
END;
$$;

CREATE FUNCTION public.ok_idioms_set_returning(p_org uuid) RETURNS SETOF public.users
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY SELECT * FROM public.users u WHERE u.org_id = p_org;
END;
$$;

CREATE FUNCTION public.ok_idioms_out_params(p_user uuid, OUT total numeric, OUT orders int)
LANGUAGE plpgsql AS $$
BEGIN
  total := 0;
  orders := 0;
  SELECT coalesce(sum(o.amount), 0), count(*) INTO total, orders FROM public.orders o WHERE o.user_id = p_user;
  total := total + 1;
END;
$$;

CREATE FUNCTION public.ok_idioms_return_next(p_limit int) RETURNS TABLE (user_name text, order_count bigint)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT u.name, count(o.id) AS n FROM public.users u LEFT JOIN public.orders o ON o.user_id = u.id GROUP BY u.name LIMIT p_limit LOOP
    user_name := r.name;
    order_count := r.n;
    RETURN NEXT;
  END LOOP;
END;
$$;

CREATE FUNCTION public.ok_idioms_cursor(p_user uuid) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
  c_orders CURSOR (v_user uuid) FOR SELECT o.amount FROM public.orders o WHERE o.user_id = v_user;
  v_sum numeric := 0;
BEGIN
  FOR r IN c_orders(p_user) LOOP
    v_sum := v_sum + r.amount;
  END LOOP;
  RETURN v_sum;
END;
$$;

CREATE FUNCTION public.ok_idioms_nested_blocks() RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  v int := 1;
BEGIN
  DECLARE
    v int := 2;
  BEGIN
    v := v + 1;
  END;
  BEGIN
    INSERT INTO public.invoices (order_id, total) VALUES (v, 0);
  EXCEPTION WHEN unique_violation THEN
    RAISE NOTICE 'already there: %', SQLERRM;
  END;
  RETURN v;
END;
$$;

CREATE FUNCTION public.ok_idioms_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  IF TG_OP = 'UPDATE' AND NEW.name IS DISTINCT FROM OLD.name THEN
    RAISE NOTICE 'renamed % to % on %', OLD.name, NEW.name, TG_TABLE_NAME;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER users_touch BEFORE UPDATE ON public.users
  FOR EACH ROW EXECUTE FUNCTION public.ok_idioms_touch();

CREATE FUNCTION public.ok_idioms_sql(p_user uuid) RETURNS TABLE (id int, amount numeric)
LANGUAGE sql STABLE AS $$
  SELECT o.id, o.amount FROM public.orders o WHERE o.user_id = p_user ORDER BY o.id;
$$;

CREATE FUNCTION public.ok_idioms_atomic(p_user uuid) RETURNS bigint
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT count(*) FROM public.orders o WHERE o.user_id = p_user;
END;
