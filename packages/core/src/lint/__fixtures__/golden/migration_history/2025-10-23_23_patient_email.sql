-- ============================================================================
-- Migration: Patient email
-- Date: 2025-10-23
-- Issue: No email on file
--
-- PROBLEM: Reminders cannot be sent by email.
-- SOLUTION: Add patients.email.
-- AFFECTED TABLES: patients
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/02_profiles.sql (Line 8: patients.email added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS email text;
