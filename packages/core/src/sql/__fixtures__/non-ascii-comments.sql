-- ============================================================================
-- Migration: Visit durations → minutes ✅
-- Date: 2025-10-08
-- Issue: Dr. José Müller needs durations in minutes
-- ============================================================================

BEGIN;

-- Añade la columna → minutes ✅
-- (René's request)
ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS duration_minutes integer; -- ✅ done

-- Backfill: café → 🚀 fast
UPDATE public.visits SET status = 'terminé 🚀' WHERE id = 1; UPDATE public.visits SET status = '✅' WHERE id = 2;

COMMENT ON COLUMN public.visits.duration_minutes IS 'Durée en minutes → 🕒';

COMMIT;
