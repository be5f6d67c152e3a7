-- ============================================================================
-- Migration: Create patient settings
-- Date: 2025-10-08
-- Issue: Settings are columns on patients
--
-- PROBLEM: Every new preference needs a column on patients.
-- SOLUTION: Create patient_settings and backfill one row per patient.
-- AFFECTED TABLES: patient_settings, patients
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/02_profiles.sql (Line 21: patient_settings table)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

BEGIN;

CREATE TABLE IF NOT EXISTS public.patient_settings (
  patient_id uuid PRIMARY KEY REFERENCES public.patients (id),
  locale text NOT NULL DEFAULT 'fr-CA'
);
ALTER TABLE public.patient_settings ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "Patients read own settings" ON public.patient_settings;
CREATE POLICY "Patients read own settings" ON public.patient_settings
  FOR SELECT TO authenticated USING (patient_id IN (SELECT id FROM public.patients WHERE user_id = auth.uid()));

INSERT INTO public.patient_settings (patient_id, locale)
SELECT p.id, CASE p.preferred_language WHEN 'en' THEN 'en-CA' ELSE 'fr-CA' END
  FROM public.patients p
 WHERE NOT EXISTS (SELECT 1 FROM public.patient_settings s WHERE s.patient_id = p.id);

COMMIT;

-- VERIFY: SELECT count(*) = 0 FROM public.patients p LEFT JOIN public.patient_settings s ON s.patient_id = p.id WHERE s.patient_id IS NULL
