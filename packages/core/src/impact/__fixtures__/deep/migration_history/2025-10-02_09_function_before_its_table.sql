-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-02
-- ============================================================================

CREATE OR REPLACE FUNCTION public.latest_prescription(p_patient uuid) RETURNS uuid
LANGUAGE plpgsql STABLE SET search_path = '' AS $$
DECLARE
  v_id uuid;
BEGIN
  SELECT id INTO v_id FROM public.prescriptions WHERE patient_id = p_patient ORDER BY id DESC LIMIT 1;
  RETURN v_id;
END;
$$;

CREATE TABLE IF NOT EXISTS public.prescriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients(id)
);
CREATE INDEX IF NOT EXISTS prescriptions_patient_id_idx ON public.prescriptions (patient_id);
ALTER TABLE public.prescriptions ENABLE ROW LEVEL SECURITY;
