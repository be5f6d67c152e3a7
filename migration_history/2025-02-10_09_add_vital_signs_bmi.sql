-- ============================================================================
-- Migration: Add generated BMI column to vital signs
-- Date: 2025-02-10
-- Issue: BMI is computed differently by the portal, the dashboard and the AI summary
--
-- PROBLEM: Three clients compute body mass index from weight_kg and height_cm
--   with different rounding, so the care team sees 24.7 in one screen and
--   24.69 in another; the AI summary sometimes divides by centimetres instead
--   of metres.
-- SOLUTION: Add vital_signs.bmi as a STORED generated column rounded to two
--   decimals, so every reader gets the same value and it can be indexed or
--   filtered on.
-- AFFECTED TABLES: vital_signs
--
-- LOCKING CONSIDERATION: Adding a STORED generated column rewrites
--   vital_signs under an ACCESS EXCLUSIVE lock. About 1.1 million rows; the
--   rewrite took 7 s on the staging copy. Run in the Sunday 02:00 UTC
--   maintenance window.
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Lines 167-187: vital_signs.bmi generated column added)
--   [X] current_schema/03_clinical_core.sql (Line 193: COMMENT ON COLUMN vital_signs.bmi)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:9328bf4c9e3926ac0ec228546d351c94d560f625ea10fc6c0e9537b42f8604c5
-- APPROVED: lukas.brenner 2026-11-25 sha256:9328bf4c9e3926ac0ec228546d351c94d560f625ea10fc6c0e9537b42f8604c5
-- ============================================================================

-- pgwarden-ignore table-rewrite -- deliberate: 1.1 M rows, 7 s on staging, runs in the maintenance window
ALTER TABLE public.vital_signs
  ADD COLUMN IF NOT EXISTS bmi numeric(6, 2) GENERATED ALWAYS AS (
    CASE
      WHEN weight_kg IS NOT NULL AND height_cm IS NOT NULL
        THEN round(weight_kg / ((height_cm / 100.0) * (height_cm / 100.0)), 2)
    END
  ) STORED;

COMMENT ON COLUMN public.vital_signs.bmi IS 'Body mass index in kg/m2, derived from weight_kg and height_cm.';

-- Verification Query
-- VERIFY: SELECT count(*) = 0 FROM public.vital_signs WHERE bmi IS NULL AND weight_kg IS NOT NULL AND height_cm IS NOT NULL
