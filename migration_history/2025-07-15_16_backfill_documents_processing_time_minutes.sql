-- ============================================================================
-- Migration: Backfill documents.processing_time_minutes
-- Date: 2025-07-15
-- Issue: Turnaround reports are empty for documents processed before March 2025
--
-- PROBLEM: processing_time_minutes has been written by the pipeline since
--   migration 10 (2025-03-05); documents processed earlier still have NULL,
--   so the quarterly turnaround report excludes them.
-- SOLUTION: Compute the value from processing_started_at and processed_at for
--   processed documents where it is NULL. Rows without both timestamps are
--   left NULL on purpose (never processed, or processed by the pre-2024
--   pipeline that did not record the start).
-- AFFECTED TABLES: documents
--
-- MIGRATION STRATEGY: About 184 000 rows, one UPDATE (2.1 s on staging). The
--   updated_at and audit triggers fire for each row; that is intended, the
--   backfill is an auditable change. The WHERE clause makes a rerun a no-op.
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [N/A] current_schema/04_ai_processing.sql (Lines 79-101: documents.processing_time_minutes, data only, no schema change)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:a5c257c3a21ba61353766096b9042064bcdced1bef9994609d4f1d1dff4a4922
-- APPROVED: lukas.brenner 2026-11-25 sha256:a5c257c3a21ba61353766096b9042064bcdced1bef9994609d4f1d1dff4a4922
-- ============================================================================

UPDATE public.documents
SET processing_time_minutes = greatest(0, round(extract(epoch FROM (processed_at - processing_started_at)) / 60.0))::integer
WHERE processing_time_minutes IS NULL
  AND processed_at IS NOT NULL
  AND processing_started_at IS NOT NULL;

-- Verification Query
-- No processed document with both timestamps is left without a duration.
-- VERIFY: SELECT count(*) = 0 FROM public.documents WHERE processing_time_minutes IS NULL AND processed_at IS NOT NULL AND processing_started_at IS NOT NULL
