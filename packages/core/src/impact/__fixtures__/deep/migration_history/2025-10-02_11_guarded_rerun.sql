-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-02
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.consents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients(id)
);
CREATE INDEX IF NOT EXISTS consents_patient_id_idx ON public.consents (patient_id);
ALTER TABLE public.consents ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS consents_read ON public.consents;
CREATE POLICY consents_read ON public.consents FOR SELECT USING (true);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'consents_patient_unique') THEN
    ALTER TABLE public.consents ADD CONSTRAINT consents_patient_unique UNIQUE (patient_id);
  END IF;
END
$$;
