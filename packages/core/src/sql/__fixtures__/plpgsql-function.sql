CREATE OR REPLACE FUNCTION public.handle_new_visit()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $function$
DECLARE
  v_count integer;
BEGIN
  -- Keep the counter → in sync
  INSERT INTO public.visit_counters (patient_id, total)
  VALUES (NEW.patient_id, 1)
  ON CONFLICT (patient_id) DO UPDATE SET total = public.visit_counters.total + 1;

  SELECT count(*) INTO v_count FROM public.visits WHERE patient_id = NEW.patient_id;

  UPDATE public.patients SET last_visit_at = now() WHERE id = NEW.patient_id RETURNING id INTO v_count;
  DELETE FROM public.visit_drafts WHERE patient_id = NEW.patient_id;
  RETURN NEW;
END;
$function$;

CREATE TRIGGER on_visit_created AFTER INSERT ON public.visits
  FOR EACH ROW EXECUTE FUNCTION public.handle_new_visit();

CREATE FUNCTION public.visit_count(p_patient uuid) RETURNS bigint
LANGUAGE sql STABLE
AS $$ SELECT count(*) FROM public.visits WHERE patient_id = p_patient $$;
