-- ============================================================================
-- Migration: Restrict clinical note edits to the unsigned author
-- Date: 2025-09-09
-- Issue: Any clinician of the organization can edit a signed clinical note
--
-- PROBLEM: clinical_notes_update_care_staff lets every practitioner, nurse or
--   coordinator of the patient's organization update any note, including
--   signed ones. Signed notes are legal documents: corrections must be
--   written as amendments (amended_from_id), and only the author may edit a
--   draft.
-- SOLUTION: Replace the update policy: drop clinical_notes_update_care_staff
--   and create clinical_notes_update_author_unsigned, which allows an update
--   only by the author while signed_at is NULL (the author can still sign).
--   Insert, select and service role policies are unchanged.
-- AFFECTED TABLES: clinical_notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Lines 376-380: policy clinical_notes_update_author_unsigned on clinical_notes replaced)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:ed99e7f354b522c81eae54b877696c8b8c1c882f0c6d240e602745d653262bc4
-- APPROVED: lukas.brenner 2026-11-25 sha256:ed99e7f354b522c81eae54b877696c8b8c1c882f0c6d240e602745d653262bc4
-- ============================================================================

DROP POLICY IF EXISTS clinical_notes_update_care_staff ON public.clinical_notes;

DROP POLICY IF EXISTS clinical_notes_update_author_unsigned ON public.clinical_notes;
CREATE POLICY clinical_notes_update_author_unsigned ON public.clinical_notes
  FOR UPDATE TO authenticated
  USING (author_id = auth.uid() AND signed_at IS NULL)
  WITH CHECK (author_id = auth.uid() AND public.is_patient_care_staff(patient_id));

-- Verification Query
-- VERIFY: SELECT count(*) = 1 FROM pg_policies WHERE schemaname = 'public' AND tablename = 'clinical_notes' AND cmd = 'UPDATE'

-- Rollback Script:
-- DROP POLICY IF EXISTS clinical_notes_update_author_unsigned ON public.clinical_notes;
-- DROP POLICY IF EXISTS clinical_notes_update_care_staff ON public.clinical_notes;
-- CREATE POLICY clinical_notes_update_care_staff ON public.clinical_notes
--   FOR UPDATE TO authenticated
--   USING (public.is_patient_care_staff(patient_id))
--   WITH CHECK (public.is_patient_care_staff(patient_id));
