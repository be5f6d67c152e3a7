-- ============================================================================
-- Migration: Add preferred language
-- Date: 30 September 2025
-- Issue: Letters are always sent in French
--
-- PROBLEM: Some patients read English only.
-- SOLUTION: Add patients.preferred_language.
-- AFFECTED TABLES: patients
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/02_profiles.sql (Line 6: patients.preferred_language added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS preferred_language text NOT NULL DEFAULT 'fr';
