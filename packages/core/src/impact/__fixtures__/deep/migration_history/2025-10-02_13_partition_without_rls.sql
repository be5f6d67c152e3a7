-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-02
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.measurements (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  taken_on date NOT NULL,
  PRIMARY KEY (id, taken_on)
) PARTITION BY RANGE (taken_on);
ALTER TABLE public.measurements ENABLE ROW LEVEL SECURITY;
CREATE TABLE IF NOT EXISTS public.measurements_2025 PARTITION OF public.measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
