-- Migration: Add duration check → visits
-- Date: 2025-10-09

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS duration_minutes integer;

ALTER TABLE public.visits
  ADD CONSTRAINT IF NOT EXISTS visits_duration_check CHECK (duration_minutes >= 0);

CREATE INDEX IF NOT EXISTS visits_duration_idx ON public.visits (duration_minutes);
