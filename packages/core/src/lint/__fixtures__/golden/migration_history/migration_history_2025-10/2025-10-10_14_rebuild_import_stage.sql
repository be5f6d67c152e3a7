-- ============================================================================
-- Migration: Rebuild the import staging table
-- Date: 2025-10-10
-- Issue: Imports mix batches
--
-- PROBLEM: Rows of two import batches cannot be told apart.
-- SOLUTION: Empty the staging table and add batch_id.
-- AFFECTED TABLES: import_stage
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [N/A] staging table is not part of the canonical schema
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
--
-- LOCKING CONSIDERATION:
--   import_stage is only written by the nightly job; run outside 01:00-02:00.
-- ============================================================================

TRUNCATE public.import_stage;
ALTER TABLE public.import_stage ADD COLUMN IF NOT EXISTS batch_id uuid NOT NULL;

-- Rollback Script (if needed)
-- ALTER TABLE public.import_stage DROP COLUMN IF EXISTS batch_id;
