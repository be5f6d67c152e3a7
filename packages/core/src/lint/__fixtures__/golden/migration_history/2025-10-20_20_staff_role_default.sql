-- ============================================================================
-- Migration: Default staff role
-- Date: 2025-10-20
-- Issue: New staff have no role
--
-- PROBLEM: Invitations create staff rows with role NULL.
-- SOLUTION: Give role a default.
-- AFFECTED TABLES: staff
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/02_profiles.sql (Line 18: staff.role default)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.staff ALTER COLUMN role SET DEFAULT 'assistant';  -- ✅ reviewed with the clinic
