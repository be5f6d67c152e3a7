-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-02
-- ============================================================================

DROP FUNCTION IF EXISTS public.visit_label(uuid);
CREATE OR REPLACE FUNCTION public.visit_label(p_id uuid, p_long boolean) RETURNS text
LANGUAGE sql STABLE SET search_path = '' AS $$ SELECT coalesce(note, '') FROM public.visits WHERE id = p_id $$;
