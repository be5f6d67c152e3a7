-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-01
-- ============================================================================

CREATE OR REPLACE FUNCTION public.visit_count(p_patient uuid, p_since date) RETURNS integer
LANGUAGE sql STABLE SET search_path = '' AS $$ SELECT count(*)::int FROM public.visits WHERE patient_id = p_patient $$;
