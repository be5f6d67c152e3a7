-- 03_clinical_core.sql — visits and notes
CREATE TABLE IF NOT EXISTS public.visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id),
  clinic_id uuid NOT NULL,
  scheduled_at timestamptz NOT NULL,
  checked_in_at timestamptz,
  status text NOT NULL DEFAULT 'scheduled',
  archived boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS visits_clinic_idx ON public.visits (clinic_id);
ALTER TABLE public.visits ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Patients read own visits" ON public.visits
  FOR SELECT TO authenticated USING (patient_id IN (SELECT id FROM public.patients WHERE user_id = auth.uid()));

CREATE TABLE IF NOT EXISTS public.visit_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id uuid NOT NULL REFERENCES public.visits (id),
  author_id uuid NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.visit_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Staff read notes" ON public.visit_notes
  FOR SELECT TO authenticated USING (author_id = auth.uid());
