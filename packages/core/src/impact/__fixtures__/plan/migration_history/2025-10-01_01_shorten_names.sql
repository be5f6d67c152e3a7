-- ============================================================================
-- Migration: Shorten names, drop SSN
-- Date: 2025-10-01
-- Issue: Names longer than 120 characters break the label printer
--
-- PROBLEM: full_name is unbounded and ssn should not be stored.
-- SOLUTION: Bound full_name, drop ssn, index visits by person.
-- AFFECTED TABLES: (to be filled)
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/01_people.sql (Line ?: to be filled)
--
-- DOWNSTREAM UPDATES:
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.people ALTER COLUMN full_name TYPE varchar(120);

ALTER TABLE public.people DROP COLUMN IF EXISTS ssn;

CREATE INDEX IF NOT EXISTS visits_person_id_idx ON public.visits (person_id);

DELETE FROM public.visits;

-- Rollback Script:
-- DROP INDEX IF EXISTS public.visits_person_id_idx;
-- ALTER TABLE public.people ADD COLUMN IF NOT EXISTS ssn text;
-- ALTER TABLE public.people ALTER COLUMN full_name TYPE text;
