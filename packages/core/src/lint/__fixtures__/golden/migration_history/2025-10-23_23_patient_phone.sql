-- ============================================================================
-- Migration: Patient phone
-- Date: 2025-10-23
-- Issue: No phone on file
--
-- PROBLEM: Reminders cannot be sent by SMS.
-- SOLUTION: Add patients.phone.
-- AFFECTED TABLES: patients
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/02_profiles.sql (Line 8: patients.phone added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS phone text;
