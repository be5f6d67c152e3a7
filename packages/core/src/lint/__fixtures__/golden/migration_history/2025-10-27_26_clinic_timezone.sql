-- ============================================================================
-- Migration: Clinic time zone
-- Date: 2025-10-27
-- Issue: Reminders at the wrong hour
--
-- PROBLEM: Clinics in Moncton get reminders an hour early.
-- SOLUTION: Add clinics.timezone.
-- AFFECTED TABLES: clinics
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/02_profiles.sql (Line 3: clinics.timezone added)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated
--   [X] TypeScript types updated
-- ============================================================================

ALTER TABLE public.clinics ADD COLUMN IF NOT EXISTS timezone text NOT NULL DEFAULT 'America/Toronto';
