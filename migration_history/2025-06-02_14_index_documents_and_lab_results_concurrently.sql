-- ============================================================================
-- Migration: Index documents and lab results by patient, concurrently
-- Date: 2025-06-02
-- Issue: Patient timeline and lab trend screens time out for long-standing patients
--
-- PROBLEM: The patient timeline lists documents by patient_id ordered by
--   created_at, but no index on documents leads with patient_id. The lab
--   trend chart filters lab_results by patient_id and loinc_code ordered by
--   collected_at, and the (patient_id, collected_at) index makes it read
--   every result of the patient. p95 is 2.8 s for patients with more than 500
--   documents.
-- SOLUTION: Create two composite indexes with CREATE INDEX CONCURRENTLY so
--   that writes (uploads, lab interface feeds) are not blocked while they
--   build. CONCURRENTLY cannot run inside a transaction block, so this file
--   is marked no-transaction and contains nothing else.
-- AFFECTED TABLES: documents, lab_results
--
-- LOCKING CONSIDERATION: CONCURRENTLY takes a SHARE UPDATE EXCLUSIVE lock:
--   reads and writes continue. A build that fails or is interrupted leaves
--   an INVALID index that IF NOT EXISTS would skip, so each CREATE follows a
--   DROP INDEX CONCURRENTLY IF EXISTS of the same index: a rerun rebuilds it.
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/04_ai_processing.sql (Line 108: idx_documents_patient_created on documents)
--   [X] current_schema/03_clinical_core.sql (Lines 160-161: idx_lab_results_patient_loinc_collected on lab_results)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
--
-- pgwarden:no-transaction
-- APPROVED: amara.okafor 2026-11-25 sha256:b8d03ffe459dfc63346581cc503e4cfe4cae15ebd2b6bb0b3d7dee43fb9689c1
-- APPROVED: lukas.brenner 2026-11-25 sha256:b8d03ffe459dfc63346581cc503e4cfe4cae15ebd2b6bb0b3d7dee43fb9689c1
-- ============================================================================

DROP INDEX CONCURRENTLY IF EXISTS public.idx_documents_patient_created;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_documents_patient_created
  ON public.documents (patient_id, created_at DESC);

DROP INDEX CONCURRENTLY IF EXISTS public.idx_lab_results_patient_loinc_collected;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_lab_results_patient_loinc_collected
  ON public.lab_results (patient_id, loinc_code, collected_at DESC);
