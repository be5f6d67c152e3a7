-- ============================================================================
-- Migration: Add note fields
-- Date: 2026-02-01
-- ============================================================================

BEGIN;

ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS title text;

UPDATE public.notes
   SET title = public.note_title(body);

ALTER TABLE public.notes ADD COLUMN pinned boolean NOT NULL DEFAULT false;

COMMIT;
