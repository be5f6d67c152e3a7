-- ============================================================================
-- Migration: Clinic opening hours
-- Date: 2025-10-29
-- Issue: Hours are hard-coded in the app
--
-- PROBLEM: Changing hours needs a release.
-- SOLUTION: Create clinic_hours; drop the old view.
-- AFFECTED TABLES: clinic_hours, clinic_hours_v
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 24: clinic_hours table)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

CREATE TABLE public.clinic_hours (
  clinic_id uuid NOT NULL,
  weekday smallint NOT NULL,
  opens time NOT NULL,
  closes time NOT NULL
);
ALTER TABLE public.clinic_hours ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Anyone reads hours" ON public.clinic_hours FOR SELECT TO authenticated USING (true);
DROP VIEW public.clinic_hours_v;
