-- The table fails (no such type); everything built on it fails only because of that.
CREATE TABLE public.prescriptions (
  id uuid PRIMARY KEY,
  dose public.dosage_unit_typo NOT NULL
);

CREATE INDEX prescriptions_dose_idx ON public.prescriptions (dose);

ALTER TABLE public.prescriptions ENABLE ROW LEVEL SECURITY;

CREATE POLICY prescriptions_read ON public.prescriptions FOR SELECT TO authenticated USING (true);

CREATE VIEW public.prescription_ids AS SELECT id FROM public.prescriptions;

CREATE TABLE public.pharmacies (
  id uuid PRIMARY KEY,
  name text NOT NULL
);
