-- ============================================================================
-- Migration: Where a note was written
-- Date: 2025-10-02
-- ============================================================================

-- postgis: an extension the PGlite shadow cannot provide.
CREATE EXTENSION IF NOT EXISTS postgis;

ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS place geometry;

-- Rollback Script:
-- ALTER TABLE public.notes DROP COLUMN IF EXISTS place;
