-- Migration: Add visit status
-- Date: 2025-09-08
-- Issue: Cancelled visits still show as upcoming
--
-- PROBLEM: There is no status on a visit.
-- SOLUTION: Add visits.status with a default.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 8: visits.status added)
--
-- DOWNSTREAM UPDATES:
--   [ ] TypeScript types updated (if applicable)

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'scheduled';
