-- ============================================================================
-- Migration: Drop the unused clinic index
-- Date: 2025-10-17
-- Issue: Writes to visits are slow
--
-- PROBLEM: visits_clinic_idx is never used (pg_stat_user_indexes).
-- SOLUTION: Drop it.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 11: visits_clinic_idx removed)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

DROP INDEX IF EXISTS public.visits_clinic_idx;

-- Rollback Script
-- CREATE INDEX IF NOT EXISTS visits_clinic_idx ON public.visits (clinic_id);
