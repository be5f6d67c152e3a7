-- ============================================================================
-- Migration: Add quarantined document status
-- Date: 2025-03-24
-- Issue: Documents flagged by the malware scanner are marked failed and retried
--
-- PROBLEM: When the upload scanner flags a document (malware, or another
--   patient's data in the file) the pipeline can only mark it failed, so it
--   is retried, reaches the OCR model and is shown as a technical error
--   instead of being held for review.
-- SOLUTION: Add the value quarantined to the document_status enum (appended,
--   so existing values keep their sort order) and the column
--   documents.quarantine_reason that records why. The new value is not used
--   in this migration: Postgres forbids using an enum value in the
--   transaction that adds it.
-- AFFECTED TABLES: documents
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/04_ai_processing.sql (Lines 16-23: document_status value 'quarantined' added)
--   [X] current_schema/04_ai_processing.sql (Line 27: COMMENT ON TYPE document_status updated)
--   [X] current_schema/04_ai_processing.sql (Lines 79-102: documents.quarantine_reason added)
--   [X] current_schema/04_ai_processing.sql (Line 113: COMMENT ON COLUMN documents.quarantine_reason)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:178967a608047aa31bb1ecddebbb52ab7b413f557647c59002db02ac61a1e100
-- APPROVED: lukas.brenner 2026-11-25 sha256:178967a608047aa31bb1ecddebbb52ab7b413f557647c59002db02ac61a1e100
-- ============================================================================

ALTER TYPE public.document_status ADD VALUE IF NOT EXISTS 'quarantined';

COMMENT ON TYPE public.document_status IS 'Pipeline state of a document. quarantined: held back by the malware or PHI-leak scanner.';

ALTER TABLE public.documents
  ADD COLUMN IF NOT EXISTS quarantine_reason text;

COMMENT ON COLUMN public.documents.quarantine_reason IS 'Why the scanner quarantined the document (status quarantined); NULL otherwise.';

-- Verification Query
-- VERIFY: SELECT EXISTS (SELECT 1 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typname = 'document_status' AND e.enumlabel = 'quarantined')
