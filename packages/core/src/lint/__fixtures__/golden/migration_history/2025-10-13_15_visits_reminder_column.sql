-- ============================================================================
-- Migration: Reminder sent flag on visits
-- Date: 2025-10-13
-- Issue: Reminders are sent twice
--
-- PROBLEM: The reminder job cannot tell which visits it already handled.
-- SOLUTION: Ensure visits exists (fresh environments) and add reminder_sent_at.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 10: visits.reminder_sent_at added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id),
  clinic_id uuid NOT NULL,
  scheduled_at timestamptz NOT NULL
);
ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS reminder_sent_at timestamptz;
