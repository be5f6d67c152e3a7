-- ============================================================================
-- Migration: One staff row per user
-- Date: 2025-10-21
-- Issue: Duplicate staff rows
--
-- PROBLEM: A user invited twice has two staff rows.
-- SOLUTION: Add a unique constraint.
-- AFFECTED TABLES: staff
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/02_profiles.sql (Line 15: staff.user_id unique)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.staff ADD CONSTRAINT IF NOT EXISTS staff_user_id_key UNIQUE (user_id);
