-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-01
-- ============================================================================

CREATE TABLE public.referrals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients(id)
);
CREATE INDEX IF NOT EXISTS referrals_patient_id_idx ON public.referrals (patient_id);
ALTER TABLE public.referrals ENABLE ROW LEVEL SECURITY;
