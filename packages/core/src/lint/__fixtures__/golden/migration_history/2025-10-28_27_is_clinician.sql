-- ============================================================================
-- Migration: is_clinician() helper
-- Date: 2025-10-28
-- Issue: Policies repeat the staff lookup
--
-- PROBLEM: Every policy joins staff.
-- SOLUTION: A SECURITY DEFINER helper for policies.
-- AFFECTED TABLES: none
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/06_security.sql (Line 1: is_clinician function)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

CREATE OR REPLACE FUNCTION public.is_clinician() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT EXISTS (SELECT 1 FROM public.staff WHERE user_id = auth.uid())
$$;
GRANT EXECUTE ON FUNCTION public.is_clinician() TO anon;
