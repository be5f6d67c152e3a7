-- ============================================================================
-- Migration: Foundations baseline
-- Date: 2025-01-15
-- Issue: Initial schema for the foundations domain
--
-- PROBLEM: The platform needs a tenant model (organizations, facilities,
--   memberships), terminology lookup and an audit trail before any clinical
--   data can be stored.
-- SOLUTION: Create the extensions pgcrypto, uuid-ossp and pg_trgm, the
--   app_role enum, the updated_at and audit trigger functions, the foundation
--   tables with RLS and policies, and the membership helpers is_org_member()
--   and has_org_role() used by every later policy.
-- AFFECTED TABLES: organizations, facilities, organization_members,
--   reference_codes, audit_log
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/01_foundations.sql (Lines 52-64: organizations table)
--   [X] current_schema/01_foundations.sql (Lines 70-87: facilities table)
--   [X] current_schema/01_foundations.sql (Lines 95-106: organization_members table)
--   [X] current_schema/01_foundations.sql (Lines 114-122: reference_codes table)
--   [X] current_schema/01_foundations.sql (Lines 132-143: audit_log table)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:a28b068cf0a1bdc6fe2c81e1e40bef4e6582d81ec292727607a2d5e9095520bb
-- APPROVED: lukas.brenner 2026-11-25 sha256:a28b068cf0a1bdc6fe2c81e1e40bef4e6582d81ec292727607a2d5e9095520bb
-- ============================================================================

-- Extensions -------------------------------------------------------------------

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Enums ------------------------------------------------------------------------

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'app_role'
  ) THEN
    CREATE TYPE public.app_role AS ENUM (
      'patient',
      'practitioner',
      'nurse',
      'care_coordinator',
      'org_admin'
    );
  END IF;
END $$;

COMMENT ON TYPE public.app_role IS 'Role of a user inside one organization.';

-- Trigger functions ------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

COMMENT ON FUNCTION public.set_updated_at() IS 'BEFORE UPDATE trigger: keeps updated_at current.';

-- organizations ----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 200),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  organization_type text NOT NULL DEFAULT 'clinic'
    CHECK (organization_type IN ('hospital', 'clinic', 'practice', 'laboratory', 'payer')),
  country_code char(2) NOT NULL DEFAULT 'US' CHECK (country_code ~ '^[A-Z]{2}$'),
  timezone text NOT NULL DEFAULT 'UTC',
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE public.organizations IS 'Tenant: a hospital, clinic or practice. Every clinical record belongs to one organization.';

-- facilities -------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.facilities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
  name text NOT NULL,
  facility_type text NOT NULL
    CHECK (facility_type IN ('hospital', 'clinic', 'laboratory', 'imaging_center', 'pharmacy', 'telehealth')),
  address_line1 text,
  address_line2 text,
  city text,
  region text,
  postal_code text,
  country_code char(2) NOT NULL DEFAULT 'US' CHECK (country_code ~ '^[A-Z]{2}$'),
  phone text,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, name)
);

CREATE INDEX IF NOT EXISTS idx_facilities_organization_id ON public.facilities (organization_id);

COMMENT ON TABLE public.facilities IS 'Physical or virtual sites of an organization where care is delivered.';

-- organization_members ---------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.organization_members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  role public.app_role NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  invited_by uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, user_id)
);

CREATE INDEX IF NOT EXISTS idx_organization_members_user_id ON public.organization_members (user_id);

COMMENT ON TABLE public.organization_members IS 'Which users work in which organization, and with which role.';

-- reference_codes --------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.reference_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code_system text NOT NULL CHECK (code_system IN ('ICD-10-CM', 'LOINC', 'RXNORM', 'SNOMED-CT', 'CPT')),
  code text NOT NULL,
  display text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (code_system, code)
);

CREATE INDEX IF NOT EXISTS idx_reference_codes_display_trgm
  ON public.reference_codes USING gin (display gin_trgm_ops);

COMMENT ON TABLE public.reference_codes IS 'Terminology lookup (ICD-10-CM, LOINC, RxNorm, SNOMED CT, CPT) used to normalise extracted entities.';
COMMENT ON INDEX public.idx_reference_codes_display_trgm IS 'Fuzzy search on code display names for the coding assistant.';

-- audit_log --------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_role text,
  action text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
  table_name text NOT NULL,
  record_id uuid,
  organization_id uuid,
  old_data jsonb,
  new_data jsonb
);

CREATE INDEX IF NOT EXISTS idx_audit_log_record ON public.audit_log (table_name, record_id);
CREATE INDEX IF NOT EXISTS idx_audit_log_actor_occurred ON public.audit_log (actor_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS idx_audit_log_organization_occurred ON public.audit_log (organization_id, occurred_at DESC);

COMMENT ON TABLE public.audit_log IS 'Append-only record of every change to protected health information (HIPAA 164.312(b)).';
COMMENT ON COLUMN public.audit_log.actor_id IS 'auth.uid() of the session that made the change; NULL for service jobs. No foreign key: audit rows outlive users.';

CREATE OR REPLACE FUNCTION public.audit_row_change()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_row jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN
    v_row := to_jsonb(OLD);
  ELSE
    v_row := to_jsonb(NEW);
  END IF;

  INSERT INTO public.audit_log (actor_id, actor_role, action, table_name, record_id, organization_id, old_data, new_data)
  VALUES (
    auth.uid(),
    auth.role(),
    TG_OP,
    TG_TABLE_NAME,
    (v_row ->> 'id')::uuid,
    (v_row ->> 'organization_id')::uuid,
    CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END,
    CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END
  );

  RETURN NULL;
END;
$$;

COMMENT ON FUNCTION public.audit_row_change() IS 'AFTER row trigger: writes one audit_log row per change. SECURITY DEFINER so that callers need no privilege on audit_log.';

-- Membership helpers -----------------------------------------------------------

CREATE OR REPLACE FUNCTION public.is_org_member(p_organization_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.organization_members m
    WHERE m.organization_id = p_organization_id
      AND m.user_id = auth.uid()
      AND m.is_active
  );
$$;

COMMENT ON FUNCTION public.is_org_member(uuid) IS 'True when the caller is an active member of the organization. SECURITY DEFINER to avoid recursive RLS on organization_members.';

CREATE OR REPLACE FUNCTION public.has_org_role(p_organization_id uuid, p_roles public.app_role[])
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.organization_members m
    WHERE m.organization_id = p_organization_id
      AND m.user_id = auth.uid()
      AND m.is_active
      AND m.role = ANY (p_roles)
  );
$$;

COMMENT ON FUNCTION public.has_org_role(uuid, public.app_role[]) IS 'True when the caller holds one of the roles in the organization.';

-- Triggers ---------------------------------------------------------------------

CREATE OR REPLACE TRIGGER trg_organizations_updated_at
  BEFORE UPDATE ON public.organizations
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_facilities_updated_at
  BEFORE UPDATE ON public.facilities
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_organization_members_updated_at
  BEFORE UPDATE ON public.organization_members
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_organization_members_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.organization_members
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

-- Row level security -----------------------------------------------------------

ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.facilities ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.organization_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.reference_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS organizations_select_members ON public.organizations;
CREATE POLICY organizations_select_members ON public.organizations
  FOR SELECT TO authenticated
  USING (public.is_org_member(id));

DROP POLICY IF EXISTS organizations_update_admins ON public.organizations;
CREATE POLICY organizations_update_admins ON public.organizations
  FOR UPDATE TO authenticated
  USING (public.has_org_role(id, ARRAY['org_admin']::public.app_role[]))
  WITH CHECK (public.has_org_role(id, ARRAY['org_admin']::public.app_role[]));

DROP POLICY IF EXISTS organizations_service_role_all ON public.organizations;
CREATE POLICY organizations_service_role_all ON public.organizations
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS facilities_select_members ON public.facilities;
CREATE POLICY facilities_select_members ON public.facilities
  FOR SELECT TO authenticated
  USING (public.is_org_member(organization_id));

DROP POLICY IF EXISTS facilities_write_admins ON public.facilities;
CREATE POLICY facilities_write_admins ON public.facilities
  FOR ALL TO authenticated
  USING (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]))
  WITH CHECK (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]));

DROP POLICY IF EXISTS facilities_service_role_all ON public.facilities;
CREATE POLICY facilities_service_role_all ON public.facilities
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS organization_members_select_members ON public.organization_members;
CREATE POLICY organization_members_select_members ON public.organization_members
  FOR SELECT TO authenticated
  USING (user_id = auth.uid() OR public.is_org_member(organization_id));

DROP POLICY IF EXISTS organization_members_write_admins ON public.organization_members;
CREATE POLICY organization_members_write_admins ON public.organization_members
  FOR ALL TO authenticated
  USING (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]))
  WITH CHECK (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]));

DROP POLICY IF EXISTS organization_members_service_role_all ON public.organization_members;
CREATE POLICY organization_members_service_role_all ON public.organization_members
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS reference_codes_select_authenticated ON public.reference_codes;
CREATE POLICY reference_codes_select_authenticated ON public.reference_codes
  FOR SELECT TO authenticated
  USING (is_active);

DROP POLICY IF EXISTS reference_codes_service_role_all ON public.reference_codes;
CREATE POLICY reference_codes_service_role_all ON public.reference_codes
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS audit_log_select_own_or_admin ON public.audit_log;
CREATE POLICY audit_log_select_own_or_admin ON public.audit_log
  FOR SELECT TO authenticated
  USING (
    actor_id = auth.uid()
    OR (organization_id IS NOT NULL AND public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]))
  );

DROP POLICY IF EXISTS audit_log_service_role_select ON public.audit_log;
CREATE POLICY audit_log_service_role_select ON public.audit_log
  FOR SELECT TO service_role
  USING (true);

-- Verification Query
-- Row level security is enabled on every table of this domain.
-- VERIFY: SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.oid IN ('public.organizations'::regclass, 'public.facilities'::regclass, 'public.organization_members'::regclass, 'public.reference_codes'::regclass, 'public.audit_log'::regclass)
