CREATE TABLE public.notes (id bigint PRIMARY KEY);

CREATE OR REPLACE FUNCTION public.touch_note() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$;

CREATE TRIGGER touch_note BEFORE UPDATE ON public.notes
  FOR EACH ROW EXECUTE FUNCTION public.touch_note();

ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
