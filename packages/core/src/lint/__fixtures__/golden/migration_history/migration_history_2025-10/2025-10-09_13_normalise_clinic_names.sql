-- ============================================================================
-- Migration: Normalise clinic names
-- Date: 2025-10-09
-- Issue: Duplicate clinics in reports
--
-- PROBLEM: "Clinique  Saint-Éloi" and "clinique saint-éloi" count as two.
-- SOLUTION: Normalise with a temporary helper.
-- AFFECTED TABLES: clinics
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [N/A] data only
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

CREATE OR REPLACE FUNCTION public.pgw_tmp_normalise(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT regexp_replace(initcap(trim(value)), '\s+', ' ', 'g') $$;

UPDATE public.clinics SET name = public.pgw_tmp_normalise(name) WHERE name <> public.pgw_tmp_normalise(name);

DROP FUNCTION public.pgw_tmp_normalise(text);

-- VERIFY: SELECT count(*) = 0 FROM public.clinics WHERE name <> regexp_replace(initcap(trim(name)), '\s+', ' ', 'g')
