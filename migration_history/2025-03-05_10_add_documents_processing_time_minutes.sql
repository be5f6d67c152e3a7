-- ============================================================================
-- Migration: Add processing time to documents
-- Date: 2025-03-05
-- Issue: Document processing durations are not tracked
--
-- PROBLEM: Operations cannot tell how long the pipeline takes per document:
--   the duration is only in worker logs, which are kept for 14 days, so the
--   30-minute turnaround target cannot be reported on.
-- SOLUTION: Add the nullable column documents.processing_time_minutes,
--   written by the pipeline when a document reaches processed. Existing rows
--   stay NULL until the backfill migration.
-- AFFECTED TABLES: documents
--
-- LOCKING CONSIDERATION: ADD COLUMN without a default is a catalog-only
--   change; the ACCESS EXCLUSIVE lock is held for milliseconds.
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/04_ai_processing.sql (Lines 79-101: documents.processing_time_minutes added)
--   [X] current_schema/04_ai_processing.sql (Line 112: COMMENT ON COLUMN documents.processing_time_minutes)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:fc05782495d9e559b14ee3a2f7d442894f3a447ba73079b32b8c0ff9a079ed56
-- APPROVED: lukas.brenner 2026-11-25 sha256:fc05782495d9e559b14ee3a2f7d442894f3a447ba73079b32b8c0ff9a079ed56
-- ============================================================================

ALTER TABLE public.documents
  ADD COLUMN IF NOT EXISTS processing_time_minutes integer;

COMMENT ON COLUMN public.documents.processing_time_minutes IS 'Wall-clock minutes from processing_started_at to processed_at, written by the pipeline.';

-- Verification Query
-- VERIFY: SELECT count(*) = 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'documents' AND column_name = 'processing_time_minutes'
