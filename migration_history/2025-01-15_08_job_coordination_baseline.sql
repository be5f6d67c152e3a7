-- ============================================================================
-- Migration: Job coordination baseline
-- Date: 2025-01-15
-- Issue: Initial schema for the document pipeline work queue
--
-- PROBLEM: Pipeline workers poll an external queue that loses jobs on
--   restarts and cannot see the database state.
-- SOLUTION: Create a Postgres-backed queue: processing_jobs, job_attempts and
--   worker_heartbeats, the SECURITY DEFINER functions claim_next_job(),
--   complete_job() and fail_job() (service role only), the job_queue_health
--   view, RLS and policies.
-- AFFECTED TABLES: processing_jobs, job_attempts, worker_heartbeats,
--   job_queue_health
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/08_job_coordination.sql (Lines 29-49: processing_jobs table)
--   [X] current_schema/08_job_coordination.sql (Lines 62-73: job_attempts table)
--   [X] current_schema/08_job_coordination.sql (Lines 79-87: worker_heartbeats table)
--   [X] current_schema/08_job_coordination.sql (Lines 221-231: job_queue_health view)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:740f32a4517c1ad5af44bb89eb1d8d0dbd9522a433c1e4a858b5f6d5896cde7f
-- APPROVED: lukas.brenner 2026-11-25 sha256:740f32a4517c1ad5af44bb89eb1d8d0dbd9522a433c1e4a858b5f6d5896cde7f
-- ============================================================================

-- Enums ------------------------------------------------------------------------

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'job_status'
  ) THEN
    CREATE TYPE public.job_status AS ENUM (
      'queued',
      'running',
      'succeeded',
      'failed',
      'cancelled',
      'dead_letter'
    );
  END IF;
END $$;

-- processing_jobs --------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.processing_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_type text NOT NULL
    CHECK (job_type IN ('document.ocr', 'document.classify', 'document.extract', 'document.summarize', 'metrics.refresh', 'export.generate')),
  organization_id uuid REFERENCES public.organizations (id) ON DELETE CASCADE,
  document_id uuid REFERENCES public.documents (id) ON DELETE CASCADE,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status public.job_status NOT NULL DEFAULT 'queued',
  priority smallint NOT NULL DEFAULT 100 CHECK (priority BETWEEN 0 AND 1000),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 20),
  run_after timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_at timestamptz,
  last_error text,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (attempts <= max_attempts)
);

CREATE INDEX IF NOT EXISTS idx_processing_jobs_claimable
  ON public.processing_jobs (priority, run_after)
  WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS idx_processing_jobs_document_id ON public.processing_jobs (document_id);

COMMENT ON TABLE public.processing_jobs IS 'Work queue of the AI pipeline. Workers claim jobs with FOR UPDATE SKIP LOCKED through claim_next_job().';
COMMENT ON COLUMN public.processing_jobs.priority IS 'Lower runs first; 100 is the default, 10 is used for documents a clinician is waiting for.';

-- job_attempts -----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.job_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id uuid NOT NULL REFERENCES public.processing_jobs (id) ON DELETE CASCADE,
  attempt_number integer NOT NULL CHECK (attempt_number > 0),
  worker_id text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  outcome public.job_status NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'dead_letter')),
  error_message text,
  UNIQUE (job_id, attempt_number),
  CHECK (finished_at >= started_at)
);

COMMENT ON TABLE public.job_attempts IS 'One row per finished attempt of a job, for retry analysis and SLA reporting.';

-- worker_heartbeats ------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.worker_heartbeats (
  worker_id text PRIMARY KEY CHECK (worker_id ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  hostname text NOT NULL,
  worker_version text NOT NULL,
  job_types text[] NOT NULL DEFAULT '{}'::text[],
  current_job_id uuid REFERENCES public.processing_jobs (id) ON DELETE SET NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_worker_heartbeats_last_seen ON public.worker_heartbeats (last_seen_at);

COMMENT ON TABLE public.worker_heartbeats IS 'Liveness of pipeline workers; a worker silent for two minutes is considered dead.';

-- Queue functions --------------------------------------------------------------

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
      attempts = j.attempts + 1,
      updated_at = now()
  WHERE j.id = (
    SELECT q.id
    FROM public.processing_jobs q
    WHERE q.status = 'queued'
      AND q.run_after <= now()
      AND (p_job_types IS NULL OR q.job_type = ANY (p_job_types))
    ORDER BY q.run_after, q.created_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED
  )
  RETURNING j.*;
END;
$$;

COMMENT ON FUNCTION public.claim_next_job(text, text[]) IS 'Claims the oldest runnable queued job for a worker.';

CREATE OR REPLACE FUNCTION public.complete_job(p_job_id uuid, p_worker_id text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_job public.processing_jobs;
BEGIN
  UPDATE public.processing_jobs
  SET status = 'succeeded',
      completed_at = now(),
      locked_by = NULL,
      locked_at = NULL,
      updated_at = now()
  WHERE id = p_job_id
    AND status = 'running'
    AND locked_by = p_worker_id
  RETURNING * INTO v_job;

  IF NOT FOUND THEN
    RETURN false;
  END IF;

  INSERT INTO public.job_attempts (job_id, attempt_number, worker_id, started_at, outcome)
  VALUES (v_job.id, v_job.attempts, p_worker_id, coalesce(v_job.locked_at, v_job.updated_at), 'succeeded')
  ON CONFLICT (job_id, attempt_number) DO NOTHING;

  RETURN true;
END;
$$;

CREATE OR REPLACE FUNCTION public.fail_job(
  p_job_id uuid,
  p_worker_id text,
  p_error text,
  p_retry_delay interval DEFAULT interval '5 minutes'
)
RETURNS public.job_status
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_started_at timestamptz;
  v_job public.processing_jobs;
BEGIN
  SELECT locked_at INTO v_started_at
  FROM public.processing_jobs
  WHERE id = p_job_id AND status = 'running' AND locked_by = p_worker_id
  FOR UPDATE;

  IF NOT FOUND THEN
    RETURN NULL;
  END IF;

  UPDATE public.processing_jobs
  SET status = CASE WHEN attempts >= max_attempts THEN 'dead_letter'::public.job_status ELSE 'queued'::public.job_status END,
      run_after = now() + p_retry_delay * attempts,
      last_error = left(p_error, 4000),
      locked_by = NULL,
      locked_at = NULL,
      updated_at = now()
  WHERE id = p_job_id
  RETURNING * INTO v_job;

  INSERT INTO public.job_attempts (job_id, attempt_number, worker_id, started_at, outcome, error_message)
  VALUES (
    v_job.id,
    v_job.attempts,
    p_worker_id,
    coalesce(v_started_at, now()),
    CASE WHEN v_job.status = 'dead_letter' THEN 'dead_letter'::public.job_status ELSE 'failed'::public.job_status END,
    left(p_error, 4000)
  )
  ON CONFLICT (job_id, attempt_number) DO NOTHING;

  RETURN v_job.status;
END;
$$;

COMMENT ON FUNCTION public.complete_job(uuid, text) IS 'Marks a running job as succeeded if the caller still holds it, and records the attempt.';
COMMENT ON FUNCTION public.fail_job(uuid, text, text, interval) IS 'Requeues a failed job with linear backoff, or moves it to dead_letter after max_attempts.';

REVOKE EXECUTE ON FUNCTION public.claim_next_job(text, text[]) FROM PUBLIC, anon, authenticated;
REVOKE EXECUTE ON FUNCTION public.complete_job(uuid, text) FROM PUBLIC, anon, authenticated;
REVOKE EXECUTE ON FUNCTION public.fail_job(uuid, text, text, interval) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.claim_next_job(text, text[]) TO service_role;
GRANT EXECUTE ON FUNCTION public.complete_job(uuid, text) TO service_role;
GRANT EXECUTE ON FUNCTION public.fail_job(uuid, text, text, interval) TO service_role;

-- Views ------------------------------------------------------------------------

CREATE OR REPLACE VIEW public.job_queue_health
WITH (security_invoker = true)
AS
SELECT
  j.job_type,
  j.status,
  count(*) AS job_count,
  min(j.run_after) AS oldest_run_after,
  max(j.attempts) AS max_attempts_used
FROM public.processing_jobs j
GROUP BY j.job_type, j.status;

COMMENT ON VIEW public.job_queue_health IS 'Queue depth per job type and status, for alerting on stuck or dead-lettered jobs.';

-- Triggers ---------------------------------------------------------------------

CREATE OR REPLACE TRIGGER trg_processing_jobs_updated_at
  BEFORE UPDATE ON public.processing_jobs
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Row level security -----------------------------------------------------------

ALTER TABLE public.processing_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.job_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.worker_heartbeats ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS processing_jobs_select_document_access ON public.processing_jobs;
CREATE POLICY processing_jobs_select_document_access ON public.processing_jobs
  FOR SELECT TO authenticated
  USING (document_id IS NOT NULL AND public.can_access_document(document_id));

DROP POLICY IF EXISTS processing_jobs_service_role_all ON public.processing_jobs;
CREATE POLICY processing_jobs_service_role_all ON public.processing_jobs
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS job_attempts_service_role_all ON public.job_attempts;
CREATE POLICY job_attempts_service_role_all ON public.job_attempts
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS worker_heartbeats_service_role_all ON public.worker_heartbeats;
CREATE POLICY worker_heartbeats_service_role_all ON public.worker_heartbeats
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- Verification Query
-- Row level security is enabled on every table of this domain.
-- VERIFY: SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.oid IN ('public.processing_jobs'::regclass, 'public.job_attempts'::regclass, 'public.worker_heartbeats'::regclass)
