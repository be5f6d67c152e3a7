-- ============================================================================
-- Migration: Optimization baseline
-- Date: 2025-01-15
-- Issue: Initial read models for the care team dashboards
--
-- PROBLEM: The care team dashboard counts diagnoses, tasks, appointments and
--   documents per patient on every page load.
-- SOLUTION: Create patient_metrics_cache with the refresh_patient_metrics()
--   function (service role only) and the security-invoker views
--   patient_clinical_summary and document_pipeline_status.
-- AFFECTED TABLES: patient_metrics_cache, patient_clinical_summary,
--   document_pipeline_status
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/07_optimization.sql (Lines 10-21: patient_metrics_cache table)
--   [X] current_schema/07_optimization.sql (Lines 78-98: patient_clinical_summary view)
--   [X] current_schema/07_optimization.sql (Lines 102-112: document_pipeline_status view)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:9864bada1bd3fe99c0140641e2b6791f29b1ec365f2f6966245fb76d9ad5034b
-- APPROVED: lukas.brenner 2026-11-25 sha256:9864bada1bd3fe99c0140641e2b6791f29b1ec365f2f6966245fb76d9ad5034b
-- ============================================================================

-- patient_metrics_cache --------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.patient_metrics_cache (
  patient_id uuid PRIMARY KEY REFERENCES public.patients (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
  active_diagnosis_count integer NOT NULL DEFAULT 0 CHECK (active_diagnosis_count >= 0),
  active_medication_count integer NOT NULL DEFAULT 0 CHECK (active_medication_count >= 0),
  open_task_count integer NOT NULL DEFAULT 0 CHECK (open_task_count >= 0),
  upcoming_appointment_count integer NOT NULL DEFAULT 0 CHECK (upcoming_appointment_count >= 0),
  pending_document_count integer NOT NULL DEFAULT 0 CHECK (pending_document_count >= 0),
  last_encounter_at timestamptz,
  last_lab_result_at timestamptz,
  computed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_patient_metrics_cache_organization ON public.patient_metrics_cache (organization_id);
CREATE INDEX IF NOT EXISTS idx_patient_metrics_cache_computed_at ON public.patient_metrics_cache (computed_at);

COMMENT ON TABLE public.patient_metrics_cache IS 'Denormalised per-patient counters for the care team dashboard; refreshed by refresh_patient_metrics().';

CREATE OR REPLACE FUNCTION public.refresh_patient_metrics(p_patient_id uuid)
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = ''
AS $$
  INSERT INTO public.patient_metrics_cache (
    patient_id,
    organization_id,
    active_diagnosis_count,
    active_medication_count,
    open_task_count,
    upcoming_appointment_count,
    pending_document_count,
    last_encounter_at,
    last_lab_result_at,
    computed_at
  )
  SELECT
    p.id,
    p.organization_id,
    (SELECT count(*) FROM public.diagnoses d WHERE d.patient_id = p.id AND d.clinical_status IN ('active', 'recurrence', 'relapse')),
    (SELECT count(*) FROM public.medications m WHERE m.patient_id = p.id AND m.status = 'active'),
    (SELECT count(*) FROM public.care_tasks t WHERE t.patient_id = p.id AND t.status IN ('open', 'in_progress', 'blocked')),
    (SELECT count(*) FROM public.appointments a WHERE a.patient_id = p.id AND a.starts_at > now() AND a.status IN ('requested', 'scheduled')),
    (SELECT count(*) FROM public.documents doc WHERE doc.patient_id = p.id AND doc.status IN ('uploaded', 'queued', 'processing')),
    (SELECT max(e.started_at) FROM public.encounters e WHERE e.patient_id = p.id),
    (SELECT max(l.collected_at) FROM public.lab_results l WHERE l.patient_id = p.id),
    now()
  FROM public.patients p
  WHERE p.id = p_patient_id
  ON CONFLICT (patient_id) DO UPDATE SET
    organization_id = EXCLUDED.organization_id,
    active_diagnosis_count = EXCLUDED.active_diagnosis_count,
    active_medication_count = EXCLUDED.active_medication_count,
    open_task_count = EXCLUDED.open_task_count,
    upcoming_appointment_count = EXCLUDED.upcoming_appointment_count,
    pending_document_count = EXCLUDED.pending_document_count,
    last_encounter_at = EXCLUDED.last_encounter_at,
    last_lab_result_at = EXCLUDED.last_lab_result_at,
    computed_at = EXCLUDED.computed_at;
$$;

COMMENT ON FUNCTION public.refresh_patient_metrics(uuid) IS 'Recomputes one row of patient_metrics_cache. Called by the metrics.refresh job; not exposed to API users.';

REVOKE EXECUTE ON FUNCTION public.refresh_patient_metrics(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.refresh_patient_metrics(uuid) TO service_role;

-- Views ------------------------------------------------------------------------

CREATE OR REPLACE VIEW public.patient_clinical_summary
WITH (security_invoker = true)
AS
SELECT
  p.id AS patient_id,
  p.organization_id,
  p.medical_record_number,
  p.first_name,
  p.last_name,
  p.date_of_birth,
  coalesce(m.active_diagnosis_count, 0) AS active_diagnosis_count,
  coalesce(m.active_medication_count, 0) AS active_medication_count,
  coalesce(m.open_task_count, 0) AS open_task_count,
  coalesce(m.upcoming_appointment_count, 0) AS upcoming_appointment_count,
  coalesce(m.pending_document_count, 0) AS pending_document_count,
  m.last_encounter_at,
  m.last_lab_result_at,
  m.computed_at AS metrics_computed_at
FROM public.patients p
LEFT JOIN public.patient_metrics_cache m ON m.patient_id = p.id
WHERE p.is_active;

COMMENT ON VIEW public.patient_clinical_summary IS 'Care team worklist: active patients with their cached counters. security_invoker: callers see only patients their RLS allows.';

CREATE OR REPLACE VIEW public.document_pipeline_status
WITH (security_invoker = true)
AS
SELECT
  d.organization_id,
  d.status,
  count(*) AS document_count,
  min(d.created_at) AS oldest_created_at,
  max(d.updated_at) AS last_updated_at
FROM public.documents d
GROUP BY d.organization_id, d.status;

COMMENT ON VIEW public.document_pipeline_status IS 'Documents per organization and pipeline status, for the operations dashboard.';

-- Row level security -----------------------------------------------------------

ALTER TABLE public.patient_metrics_cache ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS patient_metrics_cache_select_care_staff ON public.patient_metrics_cache;
CREATE POLICY patient_metrics_cache_select_care_staff ON public.patient_metrics_cache
  FOR SELECT TO authenticated
  USING (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS patient_metrics_cache_service_role_all ON public.patient_metrics_cache;
CREATE POLICY patient_metrics_cache_service_role_all ON public.patient_metrics_cache
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- Verification Query
-- Row level security is enabled on every table of this domain.
-- VERIFY: SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.oid IN ('public.patient_metrics_cache'::regclass)
