
-- ============================================================================
-- Migration: Index encounter_documents by patient
-- Date: 2025-10-09
-- Issue: #142 slow patient timeline
-- pgwarden:no-transaction
-- pgwarden:lock-timeout 5s
-- pgwarden:statement-timeout 2min
--
-- PROBLEM: The patient timeline scans encounter_documents sequentially.
-- SOLUTION: Build an index CONCURRENTLY (no transaction, no long lock).
-- AFFECTED TABLES: encounter_documents
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Line 1310: idx_encounter_documents_patient)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [X] local 2025-10-09 by alice (1234 ms)
--   [X] staging 2025-10-10 by dr.smith (8812 ms)
--   [ ] production
-- APPROVED: jane_doe 2025-10-09 sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0
-- APPROVED: dr.smith 2025-10-09 sha256:not-a-checksum
-- ============================================================================

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_encounter_documents_patient
  ON encounter_documents (patient_id, created_at DESC);

-- VERIFY: SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'idx_encounter_documents_patient');

-- ROLLBACK:
/*
DROP INDEX CONCURRENTLY IF EXISTS idx_encounter_documents_patient;
*/
