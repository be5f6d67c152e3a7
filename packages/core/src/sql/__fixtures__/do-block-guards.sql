-- ============================================================================
-- Migration: Guarded constraints → idempotent
-- ============================================================================

DO $$
BEGIN
  -- Only when missing ✅
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint WHERE conname = 'visits_duration_check'
  ) THEN
    ALTER TABLE public.visits
      ADD CONSTRAINT visits_duration_check CHECK (duration_minutes >= 0);
  END IF;
END $$;

DO $guard$
BEGIN
  CREATE TYPE public.visit_status AS ENUM ('planned', 'done');
EXCEPTION
  WHEN duplicate_object THEN NULL;
END
$guard$;

DO LANGUAGE plpgsql $$
DECLARE
  r record;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_policies WHERE policyname = 'visits_select_own') THEN
    DROP POLICY visits_select_own ON public.visits;
  ELSIF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'visits_archive') THEN
    CREATE TABLE public.visits_archive (LIKE public.visits);
  ELSE
    PERFORM 1;
  END IF;
  FOR r IN SELECT id FROM public.visits LOOP
    UPDATE public.visits SET status = 'done' WHERE id = r.id;
  END LOOP;
  EXECUTE 'ALTER TABLE public.visits ENABLE ROW LEVEL SECURITY';
END $$;
