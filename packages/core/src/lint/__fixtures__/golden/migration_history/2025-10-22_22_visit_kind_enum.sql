-- ============================================================================
-- Migration: Visit kind
-- Date: 2025-10-22
-- Issue: Video visits are not distinguished
--
-- PROBLEM: Billing needs to know which visits were by video.
-- SOLUTION: Create the visit_kind enum and a column.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 9: visits.kind added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

DO $$
BEGIN
  IF to_regtype('public.visit_kind') IS NULL THEN
    CREATE TYPE public.visit_kind AS ENUM ('in_person', 'video', 'phone');
  END IF;
END $$;
ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS kind public.visit_kind NOT NULL DEFAULT 'in_person';
