-- Readers of people.full_name.
CREATE VIEW public.people_names WITH (security_invoker = true) AS
  SELECT id, full_name FROM public.people;

CREATE OR REPLACE FUNCTION public.person_label(p_id uuid) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = '' AS $$
BEGIN
  RETURN (SELECT full_name FROM public.people WHERE id = p_id);
END;
$$;

CREATE OR REPLACE FUNCTION public.visit_total() RETURNS bigint
LANGUAGE sql STABLE SET search_path = '' AS $$ SELECT count(*) FROM public.visits $$;
