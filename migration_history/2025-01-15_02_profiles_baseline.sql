-- ============================================================================
-- Migration: Profiles baseline
-- Date: 2025-01-15
-- Issue: Initial schema for user profiles, patients and practitioners
--
-- PROBLEM: Users, patients and clinicians must be modelled, with consent and
--   delegated access, before clinical records can reference them.
-- SOLUTION: Create the profile, patient, practitioner, consent, contact and
--   access grant tables with RLS and policies, and the SECURITY DEFINER
--   helpers is_patient_self(), is_patient_care_staff(), can_access_patient()
--   and ensure_profile().
-- AFFECTED TABLES: profiles, patients, practitioners, patient_access_grants,
--   patient_consents, patient_contacts
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/02_profiles.sql (Lines 40-53: profiles table)
--   [X] current_schema/02_profiles.sql (Lines 59-79: patients table)
--   [X] current_schema/02_profiles.sql (Lines 90-105: practitioners table)
--   [X] current_schema/02_profiles.sql (Lines 111-122: patient_access_grants table)
--   [X] current_schema/02_profiles.sql (Lines 224-236: patient_consents table)
--   [X] current_schema/02_profiles.sql (Lines 246-259: patient_contacts table)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:b3490ca5e549396d50b2ed43587368f22eb8d5b6b77e4face62bbf97a697aec6
-- APPROVED: lukas.brenner 2026-11-25 sha256:b3490ca5e549396d50b2ed43587368f22eb8d5b6b77e4face62bbf97a697aec6
-- ============================================================================

-- Enums ------------------------------------------------------------------------

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'sex_at_birth'
  ) THEN
    CREATE TYPE public.sex_at_birth AS ENUM ('female', 'male', 'intersex', 'unknown');
  END IF;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'consent_type'
  ) THEN
    CREATE TYPE public.consent_type AS ENUM (
      'treatment',
      'data_sharing',
      'ai_processing',
      'research',
      'communications'
    );
  END IF;
END $$;

COMMENT ON TYPE public.consent_type IS 'Purposes a patient can consent to; ai_processing gates the document pipeline.';

-- profiles ---------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.profiles (
  id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  email text CHECK (email IS NULL OR email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  full_name text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
  display_name text,
  phone text,
  avatar_url text,
  locale text NOT NULL DEFAULT 'en-US',
  timezone text NOT NULL DEFAULT 'UTC',
  default_organization_id uuid REFERENCES public.organizations (id) ON DELETE SET NULL,
  last_seen_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE public.profiles IS 'Public profile of a signed-up user; id equals auth.users.id.';

-- patients ---------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.patients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE RESTRICT,
  profile_id uuid UNIQUE REFERENCES public.profiles (id) ON DELETE SET NULL,
  medical_record_number text NOT NULL,
  first_name text NOT NULL,
  last_name text NOT NULL,
  preferred_name text,
  date_of_birth date NOT NULL CHECK (date_of_birth >= DATE '1900-01-01'),
  sex_at_birth public.sex_at_birth NOT NULL DEFAULT 'unknown',
  gender_identity text,
  primary_language text NOT NULL DEFAULT 'en',
  phone text,
  email text,
  ssn_last4 text CHECK (ssn_last4 ~ '^[0-9]{4}$'),
  address jsonb NOT NULL DEFAULT '{}'::jsonb,
  deceased_at timestamptz,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, medical_record_number)
);

CREATE INDEX IF NOT EXISTS idx_patients_organization_id ON public.patients (organization_id);
CREATE INDEX IF NOT EXISTS idx_patients_full_name_trgm
  ON public.patients USING gin ((lower(first_name || ' ' || last_name)) gin_trgm_ops);

COMMENT ON TABLE public.patients IS 'A person receiving care from an organization. profile_id is set once the patient activates portal access.';
COMMENT ON COLUMN public.patients.medical_record_number IS 'MRN issued by the organization; unique per organization.';

-- practitioners ----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.practitioners (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
  profile_id uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  full_name text NOT NULL,
  npi text CHECK (npi ~ '^[0-9]{10}$'),
  license_number text,
  license_region text,
  specialty text,
  is_accepting_patients boolean NOT NULL DEFAULT true,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, profile_id),
  UNIQUE (organization_id, npi)
);

COMMENT ON TABLE public.practitioners IS 'Clinicians of an organization; npi is the US National Provider Identifier.';

-- patient_access_grants --------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.patient_access_grants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  grantee_id uuid NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
  granted_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  access_level text NOT NULL DEFAULT 'read' CHECK (access_level IN ('read', 'manage')),
  reason text,
  expires_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_at IS NULL OR expires_at > created_at)
);

CREATE UNIQUE INDEX IF NOT EXISTS uq_patient_access_grants_active
  ON public.patient_access_grants (patient_id, grantee_id)
  WHERE revoked_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_patient_access_grants_grantee ON public.patient_access_grants (grantee_id);

COMMENT ON TABLE public.patient_access_grants IS 'Delegated read or manage access to a patient record, e.g. for a parent or a caregiver.';

-- Patient access helpers -------------------------------------------------------

CREATE OR REPLACE FUNCTION public.is_patient_self(p_patient_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.patients p
    WHERE p.id = p_patient_id
      AND p.profile_id = auth.uid()
  );
$$;

CREATE OR REPLACE FUNCTION public.is_patient_care_staff(p_patient_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.patients p
    WHERE p.id = p_patient_id
      AND public.has_org_role(
        p.organization_id,
        ARRAY['practitioner', 'nurse', 'care_coordinator', 'org_admin']::public.app_role[]
      )
  );
$$;

CREATE OR REPLACE FUNCTION public.can_access_patient(p_patient_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.patients p
    WHERE p.id = p_patient_id
      AND (
        p.profile_id = auth.uid()
        OR public.is_org_member(p.organization_id)
        OR EXISTS (
          SELECT 1
          FROM public.patient_access_grants g
          WHERE g.patient_id = p.id
            AND g.grantee_id = auth.uid()
            AND g.revoked_at IS NULL
            AND (g.expires_at IS NULL OR g.expires_at > now())
        )
      )
  );
$$;

COMMENT ON FUNCTION public.is_patient_self(uuid) IS 'True when the caller is the patient (portal user linked to the record).';
COMMENT ON FUNCTION public.is_patient_care_staff(uuid) IS 'True when the caller holds a clinical role in the patient''s organization.';
COMMENT ON FUNCTION public.can_access_patient(uuid) IS 'Read access to a patient: the patient, staff of the organization, or an active delegated grant.';

CREATE OR REPLACE FUNCTION public.ensure_profile()
RETURNS public.profiles
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_profile public.profiles;
BEGIN
  IF auth.uid() IS NULL THEN
    RAISE EXCEPTION 'ensure_profile() requires an authenticated session' USING ERRCODE = '42501';
  END IF;

  INSERT INTO public.profiles (id, email, full_name)
  SELECT u.id, u.email, coalesce(nullif(u.raw_user_meta_data ->> 'full_name', ''), u.email, 'New user')
  FROM auth.users u
  WHERE u.id = auth.uid()
  ON CONFLICT (id) DO NOTHING;

  SELECT * INTO v_profile FROM public.profiles WHERE id = auth.uid();
  RETURN v_profile;
END;
$$;

COMMENT ON FUNCTION public.ensure_profile() IS 'RPC called by the app after sign-in: creates the caller''s profile from auth.users metadata when missing.';

-- patient_consents -------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.patient_consents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  consent_type public.consent_type NOT NULL,
  granted boolean NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  recorded_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  policy_version text NOT NULL,
  source text NOT NULL DEFAULT 'portal' CHECK (source IN ('portal', 'paper', 'verbal', 'api')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (revoked_at IS NULL OR revoked_at >= granted_at)
);

CREATE UNIQUE INDEX IF NOT EXISTS uq_patient_consents_active
  ON public.patient_consents (patient_id, consent_type)
  WHERE revoked_at IS NULL;

COMMENT ON TABLE public.patient_consents IS 'Consent decisions per purpose; at most one active (not revoked) row per patient and purpose.';

-- patient_contacts -------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.patient_contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  full_name text NOT NULL,
  relationship text NOT NULL
    CHECK (relationship IN ('spouse', 'partner', 'parent', 'child', 'sibling', 'guardian', 'caregiver', 'friend', 'other')),
  phone text,
  email text,
  is_emergency_contact boolean NOT NULL DEFAULT false,
  priority smallint NOT NULL DEFAULT 1 CHECK (priority BETWEEN 1 AND 5),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (phone IS NOT NULL OR email IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS idx_patient_contacts_patient_id ON public.patient_contacts (patient_id);

COMMENT ON TABLE public.patient_contacts IS 'Next of kin and emergency contacts of a patient.';

-- Triggers ---------------------------------------------------------------------

CREATE OR REPLACE TRIGGER trg_profiles_updated_at
  BEFORE UPDATE ON public.profiles
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_patients_updated_at
  BEFORE UPDATE ON public.patients
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_practitioners_updated_at
  BEFORE UPDATE ON public.practitioners
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_patient_contacts_updated_at
  BEFORE UPDATE ON public.patient_contacts
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_patients_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.patients
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

CREATE OR REPLACE TRIGGER trg_patient_consents_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.patient_consents
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

CREATE OR REPLACE TRIGGER trg_patient_access_grants_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.patient_access_grants
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

-- Row level security -----------------------------------------------------------

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.patients ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.practitioners ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.patient_access_grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.patient_consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.patient_contacts ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS profiles_select_self_or_colleague ON public.profiles;
CREATE POLICY profiles_select_self_or_colleague ON public.profiles
  FOR SELECT TO authenticated
  USING (
    id = auth.uid()
    OR EXISTS (
      SELECT 1
      FROM public.organization_members m
      WHERE m.user_id = profiles.id
        AND public.is_org_member(m.organization_id)
    )
  );

DROP POLICY IF EXISTS profiles_insert_self ON public.profiles;
CREATE POLICY profiles_insert_self ON public.profiles
  FOR INSERT TO authenticated
  WITH CHECK (id = auth.uid());

DROP POLICY IF EXISTS profiles_update_self ON public.profiles;
CREATE POLICY profiles_update_self ON public.profiles
  FOR UPDATE TO authenticated
  USING (id = auth.uid())
  WITH CHECK (id = auth.uid());

DROP POLICY IF EXISTS profiles_service_role_all ON public.profiles;
CREATE POLICY profiles_service_role_all ON public.profiles
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS patients_select_with_access ON public.patients;
CREATE POLICY patients_select_with_access ON public.patients
  FOR SELECT TO authenticated
  USING (public.can_access_patient(id));

DROP POLICY IF EXISTS patients_insert_staff ON public.patients;
CREATE POLICY patients_insert_staff ON public.patients
  FOR INSERT TO authenticated
  WITH CHECK (public.has_org_role(organization_id, ARRAY['practitioner', 'nurse', 'care_coordinator', 'org_admin']::public.app_role[]));

DROP POLICY IF EXISTS patients_update_staff ON public.patients;
CREATE POLICY patients_update_staff ON public.patients
  FOR UPDATE TO authenticated
  USING (public.is_patient_care_staff(id))
  WITH CHECK (public.has_org_role(organization_id, ARRAY['practitioner', 'nurse', 'care_coordinator', 'org_admin']::public.app_role[]));

DROP POLICY IF EXISTS patients_service_role_all ON public.patients;
CREATE POLICY patients_service_role_all ON public.patients
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS practitioners_select_members ON public.practitioners;
CREATE POLICY practitioners_select_members ON public.practitioners
  FOR SELECT TO authenticated
  USING (public.is_org_member(organization_id));

DROP POLICY IF EXISTS practitioners_write_admins ON public.practitioners;
CREATE POLICY practitioners_write_admins ON public.practitioners
  FOR ALL TO authenticated
  USING (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]))
  WITH CHECK (public.has_org_role(organization_id, ARRAY['org_admin']::public.app_role[]));

DROP POLICY IF EXISTS practitioners_service_role_all ON public.practitioners;
CREATE POLICY practitioners_service_role_all ON public.practitioners
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS patient_access_grants_select_involved ON public.patient_access_grants;
CREATE POLICY patient_access_grants_select_involved ON public.patient_access_grants
  FOR SELECT TO authenticated
  USING (
    grantee_id = auth.uid()
    OR public.is_patient_self(patient_id)
    OR public.is_patient_care_staff(patient_id)
  );

DROP POLICY IF EXISTS patient_access_grants_insert_patient_or_staff ON public.patient_access_grants;
CREATE POLICY patient_access_grants_insert_patient_or_staff ON public.patient_access_grants
  FOR INSERT TO authenticated
  WITH CHECK (
    granted_by = auth.uid()
    AND (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id))
  );

DROP POLICY IF EXISTS patient_access_grants_update_patient_or_staff ON public.patient_access_grants;
CREATE POLICY patient_access_grants_update_patient_or_staff ON public.patient_access_grants
  FOR UPDATE TO authenticated
  USING (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS patient_access_grants_service_role_all ON public.patient_access_grants;
CREATE POLICY patient_access_grants_service_role_all ON public.patient_access_grants
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS patient_consents_select_with_access ON public.patient_consents;
CREATE POLICY patient_consents_select_with_access ON public.patient_consents
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS patient_consents_insert_patient_or_staff ON public.patient_consents;
CREATE POLICY patient_consents_insert_patient_or_staff ON public.patient_consents
  FOR INSERT TO authenticated
  WITH CHECK (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS patient_consents_update_patient_or_staff ON public.patient_consents;
CREATE POLICY patient_consents_update_patient_or_staff ON public.patient_consents
  FOR UPDATE TO authenticated
  USING (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS patient_consents_service_role_all ON public.patient_consents;
CREATE POLICY patient_consents_service_role_all ON public.patient_consents
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS patient_contacts_select_with_access ON public.patient_contacts;
CREATE POLICY patient_contacts_select_with_access ON public.patient_contacts
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS patient_contacts_write_patient_or_staff ON public.patient_contacts;
CREATE POLICY patient_contacts_write_patient_or_staff ON public.patient_contacts
  FOR ALL TO authenticated
  USING (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS patient_contacts_service_role_all ON public.patient_contacts;
CREATE POLICY patient_contacts_service_role_all ON public.patient_contacts
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- Verification Query
-- Row level security is enabled on every table of this domain.
-- VERIFY: SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.oid IN ('public.profiles'::regclass, 'public.patients'::regclass, 'public.practitioners'::regclass, 'public.patient_access_grants'::regclass, 'public.patient_consents'::regclass, 'public.patient_contacts'::regclass)
