-- ============================================================================
-- Migration: Drop deprecated patients.ssn_last4
-- Date: 2025-06-23
-- Issue: Unneeded social security number fragments are stored for every patient
--
-- PROBLEM: patients.ssn_last4 was used by the phone line to match callers.
--   Since 2025-05 callers are verified with a one-time code sent to the
--   portal, the column has had no reader for six weeks (pg_stat_statements
--   and the API logs confirm it), and keeping SSN fragments contradicts the
--   minimum-necessary rule of the privacy review.
-- SOLUTION: Drop the column. Its CHECK constraint and comment go with it. The
--   data is not copied anywhere on purpose; the rollback script restores the
--   column empty, and values can only be recovered from the pre-migration
--   backup.
-- AFFECTED TABLES: patients
--
-- LOCKING CONSIDERATION: DROP COLUMN only marks the column dropped in the
--   catalog (no rewrite); the ACCESS EXCLUSIVE lock is brief but waits for
--   running queries on patients, so run it off-peak.
-- ROLLBACK STRATEGY: The rollback script recreates the column empty. To
--   recover values, restore the 2025-06-22 nightly backup into a scratch
--   database and copy public.patients (id, ssn_last4) into
--   restore.patients_2025_06_22 before running the UPDATE of the rollback
--   script.
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/02_profiles.sql (Lines 59-79: patients table, SSN digits column dropped)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:38ae6b02dbdb439e6b8e6eddfc10577063d3be701ed491e56337dd9ae67975aa
-- APPROVED: lukas.brenner 2026-11-25 sha256:38ae6b02dbdb439e6b8e6eddfc10577063d3be701ed491e56337dd9ae67975aa
-- ============================================================================

ALTER TABLE public.patients
  DROP COLUMN IF EXISTS ssn_last4;

-- Verification Query
-- VERIFY: SELECT count(*) = 0 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'patients' AND column_name = 'ssn_last4'

-- Rollback Script:
-- ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS ssn_last4 text CHECK (ssn_last4 ~ '^[0-9]{4}$');
-- UPDATE public.patients p SET ssn_last4 = b.ssn_last4 FROM restore.patients_2025_06_22 b WHERE b.id = p.id AND p.ssn_last4 IS NULL;
