-- ============================================================================
-- Migration: More
-- ============================================================================
ALTER TABLE public.notes ADD COLUMN pinned boolean;
CREATE INDEX notes_title_idx ON public.notes (title);
