-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-01
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  happened_at timestamptz NOT NULL DEFAULT now()
);
