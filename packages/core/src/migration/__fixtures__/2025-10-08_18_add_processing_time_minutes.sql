-- ============================================================================
-- Migration: Add processing_time_minutes to encounter_documents
-- Date: 2025-10-08
-- Issue: Clinicians cannot see how long AI processing took → dashboards show "n/a"
--
-- PROBLEM: The AI pipeline records start and end timestamps but never the
--   duration, so every dashboard query recomputes it (and gets it wrong for
--   documents reprocessed by Dr. Zoë Lefèvre's review queue).
-- SOLUTION: Add a STORED generated column processing_time_minutes.
-- AFFECTED TABLES: encounter_documents, ai_processing_sessions
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/04_ai_processing.sql (Line 228: processing_time_minutes column)
--   [x] current_schema/03_clinical_core.sql (Lines 1252-1296: encounter_documents table; Line 1301: comment)
--   [X] current_schema/05_healthcare_journey.sql
--     - Line 279: encounter_documents.processing_time_minutes added
--     - Lines 310-312: index on processing_time_minutes
--   07_optimization.sql (Line 44: statistics target, ✓ checked)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--   [N/A] Edge functions (no change)
--
-- SCHEMA DOCUMENTATION UPDATED:
--   [n/a] docs/schema.md
--
-- COST ANALYSIS: Table rewrite of ~120k rows, about 4 s on production.
-- LOCKING CONSIDERATION: ACCESS EXCLUSIVE lock for the rewrite;
--   run in the 02:00 UTC low-traffic window.
-- MIGRATION STRATEGY:
--   - Add the column (rewrite)
--   - Backfill is implicit (generated column)
--   Line 12: this indented line is continuation, not a section
--
-- MIGRATION EXECUTED:
--   [X] Executed 2025-10-08
-- ============================================================================

BEGIN;

ALTER TABLE encounter_documents
  ADD COLUMN IF NOT EXISTS processing_time_minutes numeric
  GENERATED ALWAYS AS (EXTRACT(EPOCH FROM (processing_completed_at - processing_started_at)) / 60) STORED;

COMMENT ON COLUMN encounter_documents.processing_time_minutes IS 'Minutes between start and end → derived';

COMMIT;

-- VERIFY: SELECT count(*) = 1
--   FROM information_schema.columns
--   WHERE table_name = 'encounter_documents' AND column_name = 'processing_time_minutes';

-- Rollback Script (if needed)
-- ALTER TABLE encounter_documents DROP COLUMN IF EXISTS processing_time_minutes;
