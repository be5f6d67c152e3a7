-- ============================================================================
-- Migration: Security baseline
-- Date: 2025-01-15
-- Issue: Initial schema for break-glass access, data requests and API clients
--
-- PROBLEM: Emergency access, patient data requests and partner API keys are
--   handled by email and are not auditable.
-- SOLUTION: Create break_glass_events with the record_break_glass() RPC,
--   data_export_requests and api_clients with hash_api_key(), with audit
--   triggers, RLS and policies.
-- AFFECTED TABLES: break_glass_events, data_export_requests, api_clients
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/06_security.sql (Lines 10-24: break_glass_events table)
--   [X] current_schema/06_security.sql (Lines 67-82: data_export_requests table)
--   [X] current_schema/06_security.sql (Lines 93-107: api_clients table)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:447b292def54c98c094b0e62cf836ab45a6a4942bcd035233ea5cd953f6b10fd
-- APPROVED: lukas.brenner 2026-11-25 sha256:447b292def54c98c094b0e62cf836ab45a6a4942bcd035233ea5cd953f6b10fd
-- ============================================================================

-- break_glass_events -----------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.break_glass_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  accessed_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  justification text NOT NULL CHECK (char_length(justification) >= 20),
  accessed_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL DEFAULT (now() + interval '4 hours'),
  reviewed_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  reviewed_at timestamptz,
  review_outcome text CHECK (review_outcome IN ('justified', 'unjustified', 'escalated')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_at > accessed_at),
  CHECK ((review_outcome IS NULL) = (reviewed_at IS NULL))
);

CREATE INDEX IF NOT EXISTS idx_break_glass_events_unreviewed
  ON public.break_glass_events (organization_id, accessed_at)
  WHERE reviewed_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_break_glass_events_patient_id ON public.break_glass_events (patient_id);

COMMENT ON TABLE public.break_glass_events IS 'Emergency access to a patient outside the normal access rules; every event is reviewed by an organization admin.';

CREATE OR REPLACE FUNCTION public.record_break_glass(p_patient_id uuid, p_justification text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_organization_id uuid;
  v_event_id uuid;
BEGIN
  SELECT p.organization_id INTO v_organization_id
  FROM public.patients p
  WHERE p.id = p_patient_id;

  IF v_organization_id IS NULL THEN
    RAISE EXCEPTION 'patient % not found', p_patient_id USING ERRCODE = 'P0002';
  END IF;

  IF NOT public.has_org_role(v_organization_id, ARRAY['practitioner', 'nurse']::public.app_role[]) THEN
    RAISE EXCEPTION 'break-glass access requires a clinical role in the patient''s organization' USING ERRCODE = '42501';
  END IF;

  INSERT INTO public.break_glass_events (organization_id, patient_id, accessed_by, justification)
  VALUES (v_organization_id, p_patient_id, auth.uid(), p_justification)
  RETURNING id INTO v_event_id;

  RETURN v_event_id;
END;
$$;

COMMENT ON FUNCTION public.record_break_glass(uuid, text) IS 'RPC: records an emergency access with its justification and returns the event id.';

-- data_export_requests ---------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.data_export_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  requested_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  request_type text NOT NULL CHECK (request_type IN ('access', 'portability', 'rectification', 'erasure')),
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'verifying', 'processing', 'completed', 'rejected')),
  due_at timestamptz NOT NULL DEFAULT (now() + interval '30 days'),
  completed_at timestamptz,
  export_storage_path text,
  rejection_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL),
  CHECK (status <> 'completed' OR completed_at IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS idx_data_export_requests_open
  ON public.data_export_requests (due_at)
  WHERE status IN ('received', 'verifying', 'processing');
CREATE INDEX IF NOT EXISTS idx_data_export_requests_patient_id ON public.data_export_requests (patient_id);

COMMENT ON TABLE public.data_export_requests IS 'Patient requests about their data; due_at tracks the 30-day statutory deadline.';

-- api_clients ------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.api_clients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
  name text NOT NULL,
  key_prefix text NOT NULL UNIQUE CHECK (key_prefix ~ '^pgw_[a-z0-9]{8}$'),
  key_hash text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  scopes text[] NOT NULL DEFAULT '{}'::text[]
    CHECK (scopes <@ ARRAY['documents:read', 'documents:write', 'patients:read', 'appointments:read', 'appointments:write']::text[]),
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, name)
);

COMMENT ON TABLE public.api_clients IS 'Partner systems (EHR bridges, lab interfaces) calling the API; only a SHA-256 hash of each key is stored.';

CREATE OR REPLACE FUNCTION public.hash_api_key(p_key text)
RETURNS text
LANGUAGE sql
IMMUTABLE
STRICT
SET search_path = ''
AS $$
  SELECT encode(sha256(convert_to(p_key, 'UTF8')), 'hex');
$$;

COMMENT ON FUNCTION public.hash_api_key(text) IS 'Hex SHA-256 of an API key, as stored in api_clients.key_hash.';

-- Triggers ---------------------------------------------------------------------

CREATE OR REPLACE TRIGGER trg_data_export_requests_updated_at
  BEFORE UPDATE ON public.data_export_requests
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_api_clients_updated_at
  BEFORE UPDATE ON public.api_clients
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_break_glass_events_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.break_glass_events
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

CREATE OR REPLACE TRIGGER trg_data_export_requests_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.data_export_requests
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

CREATE OR REPLACE TRIGGER trg_api_clients_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.api_clients
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

-- Row level security -----------------------------------------------------------

ALTER TABLE public.break_glass_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.data_export_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.api_clients ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS break_glass_events_select_own_or_admin ON public.break_glass_events;
CREATE POLICY break_glass_events_select_own_or_admin ON public.break_glass_events
  FOR SELECT TO authenticated
  USING (
    accessed_by = auth.uid()
    OR public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[])
  );

DROP POLICY IF EXISTS break_glass_events_review_admins ON public.break_glass_events;
CREATE POLICY break_glass_events_review_admins ON public.break_glass_events
  FOR UPDATE TO authenticated
  USING (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]))
  WITH CHECK (reviewed_by = auth.uid() AND accessed_by IS DISTINCT FROM auth.uid());

DROP POLICY IF EXISTS break_glass_events_service_role_all ON public.break_glass_events;
CREATE POLICY break_glass_events_service_role_all ON public.break_glass_events
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS data_export_requests_select_patient_or_staff ON public.data_export_requests;
CREATE POLICY data_export_requests_select_patient_or_staff ON public.data_export_requests
  FOR SELECT TO authenticated
  USING (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS data_export_requests_insert_patient ON public.data_export_requests;
CREATE POLICY data_export_requests_insert_patient ON public.data_export_requests
  FOR INSERT TO authenticated
  WITH CHECK (requested_by = auth.uid() AND public.is_patient_self(patient_id));

DROP POLICY IF EXISTS data_export_requests_update_staff ON public.data_export_requests;
CREATE POLICY data_export_requests_update_staff ON public.data_export_requests
  FOR UPDATE TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS data_export_requests_service_role_all ON public.data_export_requests;
CREATE POLICY data_export_requests_service_role_all ON public.data_export_requests
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS api_clients_admins_all ON public.api_clients;
CREATE POLICY api_clients_admins_all ON public.api_clients
  FOR ALL TO authenticated
  USING (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]))
  WITH CHECK (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]));

DROP POLICY IF EXISTS api_clients_service_role_all ON public.api_clients;
CREATE POLICY api_clients_service_role_all ON public.api_clients
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- Verification Query
-- Row level security is enabled on every table of this domain.
-- VERIFY: SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.oid IN ('public.break_glass_events'::regclass, 'public.data_export_requests'::regclass, 'public.api_clients'::regclass)
