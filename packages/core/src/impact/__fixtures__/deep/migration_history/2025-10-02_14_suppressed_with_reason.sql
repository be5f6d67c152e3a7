-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-02
-- ============================================================================

-- pgwarden-ignore rls-disabled-in-exposed-schema -- reference data, readable by everyone on purpose
CREATE TABLE IF NOT EXISTS public.icd10_codes (
  code text PRIMARY KEY,
  label text NOT NULL
);
