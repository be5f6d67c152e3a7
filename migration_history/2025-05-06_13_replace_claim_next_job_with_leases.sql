-- ============================================================================
-- Migration: Replace claim_next_job with leases and priorities
-- Date: 2025-05-06
-- Issue: Jobs stay running forever when a worker dies; urgent documents wait behind bulk imports
--
-- PROBLEM: claim_next_job() marks a job running with no expiry, so a job
--   whose worker is killed (OOM during OCR of large scans) is never picked up
--   again and the document stays in processing. It also ignores
--   processing_jobs.priority, so a document a clinician is waiting for queues
--   behind a 20 000-document bulk import.
-- SOLUTION: Add processing_jobs.lease_expires_at, replace claim_next_job()
--   (same signature, CREATE OR REPLACE keeps its grants) so that it grants a
--   10-minute lease, reclaims running jobs whose lease expired while attempts
--   remain, and orders by priority first. Running jobs get a lease computed
--   from locked_at.
-- AFFECTED TABLES: processing_jobs
--
-- RPC SIGNATURE: claim_next_job(p_worker_id text, p_job_types text[] DEFAULT
--   NULL) RETURNS SETOF processing_jobs is unchanged; workers 2.4+ read the
--   new lease_expires_at field and renew by calling claim again.
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/08_job_coordination.sql (Lines 29-47: processing_jobs.lease_expires_at added)
--   [X] current_schema/08_job_coordination.sql (Line 58: COMMENT ON COLUMN processing_jobs.lease_expires_at)
--   [X] current_schema/08_job_coordination.sql (Lines 95-124: claim_next_job() replaced)
--   [X] current_schema/08_job_coordination.sql (Line 126: COMMENT ON FUNCTION claim_next_job updated)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:f43849d517b7c181c9a14084a9f9a2da02dd23575c89e7d0b40514e5502dcbbe
-- APPROVED: lukas.brenner 2026-11-25 sha256:f43849d517b7c181c9a14084a9f9a2da02dd23575c89e7d0b40514e5502dcbbe
-- ============================================================================

ALTER TABLE public.processing_jobs
  ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz;

COMMENT ON COLUMN public.processing_jobs.lease_expires_at IS 'A running job whose lease has expired is considered abandoned and may be claimed again.';

CREATE OR REPLACE FUNCTION public.claim_next_job(p_worker_id text, p_job_types text[] DEFAULT NULL)
RETURNS SETOF public.processing_jobs
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN QUERY
  UPDATE public.processing_jobs j
  SET status = 'running',
      locked_by = p_worker_id,
      locked_at = now(),
      lease_expires_at = now() + interval '10 minutes',
      attempts = j.attempts + 1,
      updated_at = now()
  WHERE j.id = (
    SELECT q.id
    FROM public.processing_jobs q
    WHERE (
        (q.status = 'queued' AND q.run_after <= now())
        OR (q.status = 'running' AND q.lease_expires_at < now() AND q.attempts < q.max_attempts)
      )
      AND (p_job_types IS NULL OR q.job_type = ANY (p_job_types))
    ORDER BY q.priority, q.run_after, q.created_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED
  )
  RETURNING j.*;
END;
$$;

COMMENT ON FUNCTION public.claim_next_job(text, text[]) IS 'Claims the most urgent runnable job (queued, or running with an expired lease) for a worker and grants it a 10-minute lease.';

-- Jobs already running get the lease they would have had.
UPDATE public.processing_jobs
SET lease_expires_at = coalesce(locked_at, updated_at) + interval '10 minutes'
WHERE status = 'running'
  AND lease_expires_at IS NULL;

-- Verification Query
-- VERIFY: SELECT count(*) = 0 FROM public.processing_jobs WHERE status = 'running' AND lease_expires_at IS NULL
