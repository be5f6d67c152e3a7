-- The schema the fixture migrations meet.
CREATE TABLE IF NOT EXISTS public.patients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  full_name text NOT NULL,
  tags jsonb NOT NULL DEFAULT '[]'
);
ALTER TABLE public.patients ENABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS public.visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients(id),
  note text
);
ALTER TABLE public.visits ENABLE ROW LEVEL SECURITY;
CREATE INDEX IF NOT EXISTS visits_patient_id_idx ON public.visits (patient_id);

CREATE OR REPLACE FUNCTION public.visit_count(p_patient uuid) RETURNS integer
LANGUAGE sql STABLE SET search_path = '' AS $$ SELECT count(*)::int FROM public.visits WHERE patient_id = p_patient $$;

CREATE OR REPLACE FUNCTION public.patient_label(p_id uuid) RETURNS text
LANGUAGE sql STABLE SET search_path = '' AS $$ SELECT full_name FROM public.patients WHERE id = p_id $$;

CREATE OR REPLACE FUNCTION public.visit_label(p_id uuid) RETURNS text
LANGUAGE sql STABLE SET search_path = '' AS $$ SELECT note FROM public.visits WHERE id = p_id $$;

-- A table older than the convention: no row level security, a foreign key without an index. Its
-- findings belong to current_schema/ (check reports them), not to a migration that touches it.
CREATE TABLE IF NOT EXISTS public.legacy_settings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid REFERENCES public.patients(id),
  value text
);
