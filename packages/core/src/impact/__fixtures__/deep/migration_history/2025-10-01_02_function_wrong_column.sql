-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-01
-- ============================================================================

CREATE OR REPLACE FUNCTION public.log_visit(p_patient uuid) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  INSERT INTO public.visits (patient_id, notes) VALUES (p_patient, 'hello');
END;
$$;
