-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-01
-- ============================================================================

CREATE OR REPLACE FUNCTION public.tag_ids(p_id uuid) RETURNS integer[]
LANGUAGE plpgsql STABLE SET search_path = '' AS $$
DECLARE
  v_tags jsonb;
BEGIN
  SELECT tags INTO v_tags FROM public.patients WHERE id = p_id;
  RETURN v_tags::integer[];
END;
$$;
