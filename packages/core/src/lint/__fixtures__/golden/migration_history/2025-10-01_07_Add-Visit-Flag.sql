-- ============================================================================
-- Migration: Add visit flag
-- Date: 2025-10-01
-- Issue: Flags for follow-up
--
-- PROBLEM: Follow-ups are tracked by hand.
-- SOLUTION: Add visits.needs_follow_up.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 9: visits.needs_follow_up added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS needs_follow_up boolean NOT NULL DEFAULT false;
