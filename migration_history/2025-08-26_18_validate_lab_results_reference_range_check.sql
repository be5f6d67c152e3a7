-- ============================================================================
-- Migration: Fix swapped reference ranges and validate the check
-- Date: 2025-08-26
-- Issue: lab_results_reference_range_check is still NOT VALID
--
-- PROBLEM: Migration 17 added lab_results_reference_range_check as NOT VALID.
--   312 historical rows from the partner laboratory still have reference_low
--   greater than reference_high, so the constraint cannot be validated and
--   the planner cannot rely on it.
-- SOLUTION: Swap the bounds of the offending rows (the values were confirmed
--   swapped with the laboratory, ticket LAB-1187), then VALIDATE CONSTRAINT,
--   guarded so that a rerun or an already valid constraint is a no-op.
-- AFFECTED TABLES: lab_results
--
-- LOCKING CONSIDERATION: VALIDATE CONSTRAINT scans lab_results under SHARE
--   UPDATE EXCLUSIVE: inserts from the lab feeds continue during the scan
--   (about 40 s for 9 million rows on staging).
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Lines 138-156: lab_results_reference_range_check on lab_results, now validated)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:a9a64c49a8f9b92fb30773773316844e6ed95091e8b345d5c0b2b6ccfbe679b8
-- APPROVED: lukas.brenner 2026-11-25 sha256:a9a64c49a8f9b92fb30773773316844e6ed95091e8b345d5c0b2b6ccfbe679b8
-- ============================================================================

UPDATE public.lab_results
SET reference_low = reference_high,
    reference_high = reference_low
WHERE reference_low > reference_high;

DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conname = 'lab_results_reference_range_check'
      AND conrelid = 'public.lab_results'::regclass
      AND NOT convalidated
  ) THEN
    ALTER TABLE public.lab_results VALIDATE CONSTRAINT lab_results_reference_range_check;
  END IF;
END $$;

-- Verification Query
-- VERIFY: SELECT convalidated FROM pg_constraint WHERE conname = 'lab_results_reference_range_check' AND conrelid = 'public.lab_results'::regclass
