-- ============================================================================
-- Migration: Create visits
-- Date: 2025-09-02
-- Issue: Visits are kept in a spreadsheet
--
-- PROBLEM: No table for visits.
-- SOLUTION: Create visits with RLS.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Lines 2-10: visits table)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated
--   [X] TypeScript types updated
--
-- MIGRATION EXECUTED:
--   [X] production 2025-09-03 by maria (812 ms)
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id),
  clinic_id uuid NOT NULL,
  scheduled_at timestamptz NOT NULL
);
ALTER TABLE public.visits ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "Patients read own visits" ON public.visits;
CREATE POLICY "Patients read own visits" ON public.visits
  FOR SELECT TO authenticated USING (patient_id IN (SELECT id FROM public.patients WHERE user_id = auth.uid()));

-- VERIFY: SELECT to_regclass('public.visits') IS NOT NULL
