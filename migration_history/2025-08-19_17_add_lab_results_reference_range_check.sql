-- ============================================================================
-- Migration: Add reference range check to lab results, not valid
-- Date: 2025-08-19
-- Issue: Lab results with reference_low above reference_high are flagged abnormal by mistake
--
-- PROBLEM: The HL7 feed of one partner laboratory sends the reference range
--   bounds swapped for some analytes; the abnormal flag computed from them is
--   wrong and the AI summary reports normal potassium values as out of range.
-- SOLUTION: Add the CHECK constraint lab_results_reference_range_check as NOT
--   VALID: new and updated rows are checked immediately, existing rows are
--   not scanned and the ACCESS EXCLUSIVE lock is held only for the catalog
--   change. Existing rows are corrected and the constraint validated in the
--   next migration.
-- AFFECTED TABLES: lab_results
--
-- MIGRATION STRATEGY: Two steps: this migration (NOT VALID, instant), then
--   2025-08-26_18 which fixes the 312 swapped rows and runs VALIDATE
--   CONSTRAINT under a SHARE UPDATE EXCLUSIVE lock.
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Lines 138-156: lab_results_reference_range_check on lab_results)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:cc33ad0de4af50064643d0569451f938fe6052225c5b725e7865a0e8e5e68f2c
-- APPROVED: lukas.brenner 2026-11-25 sha256:cc33ad0de4af50064643d0569451f938fe6052225c5b725e7865a0e8e5e68f2c
-- ============================================================================

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conname = 'lab_results_reference_range_check'
      AND conrelid = 'public.lab_results'::regclass
  ) THEN
    ALTER TABLE public.lab_results
      ADD CONSTRAINT lab_results_reference_range_check
      CHECK (reference_low IS NULL OR reference_high IS NULL OR reference_low <= reference_high)
      NOT VALID;
  END IF;
END $$;

-- Verification Query
-- VERIFY: SELECT count(*) = 1 FROM pg_constraint WHERE conname = 'lab_results_reference_range_check' AND conrelid = 'public.lab_results'::regclass
