-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-01
-- ============================================================================

CREATE OR REPLACE FUNCTION public.patient_label(p_id uuid) RETURNS varchar
LANGUAGE sql STABLE SET search_path = '' AS $$ SELECT full_name FROM public.patients WHERE id = p_id $$;
