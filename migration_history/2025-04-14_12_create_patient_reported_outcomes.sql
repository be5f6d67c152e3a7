-- ============================================================================
-- Migration: Create patient reported outcomes
-- Date: 2025-04-14
-- Issue: PROM questionnaires (PHQ-9, GAD-7, KOOS-JR) are collected on paper
--
-- PROBLEM: Care journeys need patient-reported outcome measures at fixed
--   milestones; today patients fill in paper forms that are scanned as
--   documents, so scores cannot be trended or used in care plan goals.
-- SOLUTION: Create patient_reported_outcomes with the item responses as jsonb
--   and the total score, indexes for per-instrument trends, the updated_at
--   trigger, row level security and policies: patients submit their own
--   answers, care staff may submit on their behalf, everyone with access to
--   the patient may read them, nobody may edit a submission.
-- AFFECTED TABLES: patient_reported_outcomes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/05_healthcare_journey.sql (Lines 209-221: patient_reported_outcomes table created)
--   [X] current_schema/05_healthcare_journey.sql (Lines 223-226: patient_reported_outcomes indexes)
--   [X] current_schema/05_healthcare_journey.sql (Lines 257-259: patient_reported_outcomes updated_at trigger)
--   [X] current_schema/05_healthcare_journey.sql (Line 269: patient_reported_outcomes row level security)
--   [X] current_schema/05_healthcare_journey.sql (Lines 396-412: patient_reported_outcomes policies)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:ea4a73b4a8c0c45be6fa4ac9aa1134fea0017fef0e091339ef428e99abfb3947
-- APPROVED: lukas.brenner 2026-11-25 sha256:ea4a73b4a8c0c45be6fa4ac9aa1134fea0017fef0e091339ef428e99abfb3947
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.patient_reported_outcomes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  journey_id uuid REFERENCES public.care_journeys (id) ON DELETE SET NULL,
  instrument text NOT NULL CHECK (instrument IN ('PHQ-9', 'GAD-7', 'PROMIS-10', 'EQ-5D-5L', 'KOOS-JR')),
  instrument_version text NOT NULL DEFAULT '1',
  responses jsonb NOT NULL CHECK (jsonb_typeof(responses) = 'object'),
  total_score numeric(6, 2),
  submitted_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_patient_reported_outcomes_patient_instrument
  ON public.patient_reported_outcomes (patient_id, instrument, submitted_at DESC);
CREATE INDEX IF NOT EXISTS idx_patient_reported_outcomes_journey_id
  ON public.patient_reported_outcomes (journey_id);

COMMENT ON TABLE public.patient_reported_outcomes IS 'Questionnaire answers submitted by patients (PROMs) during a care journey.';
COMMENT ON COLUMN public.patient_reported_outcomes.responses IS 'Item answers keyed by item id, e.g. {"phq9_1": 2, "phq9_2": 1}.';

CREATE OR REPLACE TRIGGER trg_patient_reported_outcomes_updated_at
  BEFORE UPDATE ON public.patient_reported_outcomes
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.patient_reported_outcomes ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS patient_reported_outcomes_select_with_access ON public.patient_reported_outcomes;
CREATE POLICY patient_reported_outcomes_select_with_access ON public.patient_reported_outcomes
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS patient_reported_outcomes_insert_patient_or_staff ON public.patient_reported_outcomes;
CREATE POLICY patient_reported_outcomes_insert_patient_or_staff ON public.patient_reported_outcomes
  FOR INSERT TO authenticated
  WITH CHECK (
    submitted_by = auth.uid()
    AND (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id))
  );

DROP POLICY IF EXISTS patient_reported_outcomes_service_role_all ON public.patient_reported_outcomes;
CREATE POLICY patient_reported_outcomes_service_role_all ON public.patient_reported_outcomes
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- Verification Query
-- VERIFY: SELECT relrowsecurity FROM pg_class WHERE oid = 'public.patient_reported_outcomes'::regclass
