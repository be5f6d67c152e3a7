-- ============================================================================
-- Migration: Semantic search over notes
-- Date: 2025-10-01
-- ============================================================================

-- Extensions the PGlite shadow provides but current_schema/ does not create.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS btree_gin;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'cube') THEN
    CREATE EXTENSION cube;
  END IF;
END $$;

ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS embedding vector(3);
ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS position cube;
-- btree_gin: a GIN index on a uuid column.
CREATE INDEX IF NOT EXISTS notes_author_gin_idx ON public.notes USING gin (author_id);
CREATE INDEX IF NOT EXISTS notes_embedding_idx ON public.notes USING hnsw (embedding vector_l2_ops);

CREATE OR REPLACE FUNCTION public.nearest_notes(p_query vector(3), p_limit integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SET search_path = '' AS $$
  SELECT id FROM public.notes ORDER BY embedding OPERATOR(public.<->) p_query LIMIT p_limit
$$;

-- Rollback Script:
-- DROP FUNCTION IF EXISTS public.nearest_notes(vector, integer);
-- DROP INDEX IF EXISTS public.notes_embedding_idx;
-- DROP INDEX IF EXISTS public.notes_author_gin_idx;
-- ALTER TABLE public.notes DROP COLUMN IF EXISTS position;
-- ALTER TABLE public.notes DROP COLUMN IF EXISTS embedding;
-- DROP EXTENSION IF EXISTS cube;
-- DROP EXTENSION IF EXISTS btree_gin;
-- DROP EXTENSION IF EXISTS vector;
