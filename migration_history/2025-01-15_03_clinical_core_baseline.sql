-- ============================================================================
-- Migration: Clinical core baseline
-- Date: 2025-01-15
-- Issue: Initial schema for encounters and the clinical record
--
-- PROBLEM: The clinical record (encounters, diagnoses, medications,
--   allergies, lab results, vital signs, notes) has no tables yet.
-- SOLUTION: Create the clinical enums and tables with indexes, updated_at and
--   audit triggers, RLS and policies based on can_access_patient() and
--   is_patient_care_staff().
-- AFFECTED TABLES: encounters, diagnoses, medications, allergies,
--   lab_results, vital_signs, clinical_notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Lines 42-56: encounters table)
--   [X] current_schema/03_clinical_core.sql (Lines 65-81: diagnoses table)
--   [X] current_schema/03_clinical_core.sql (Lines 90-109: medications table)
--   [X] current_schema/03_clinical_core.sql (Lines 117-130: allergies table)
--   [X] current_schema/03_clinical_core.sql (Lines 138-157: lab_results table)
--   [X] current_schema/03_clinical_core.sql (Lines 167-188: vital_signs table)
--   [X] current_schema/03_clinical_core.sql (Lines 197-210: clinical_notes table)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:f62fc86cb79d6568bd593a3ffcd21d61c6168b5937e82b9557f3a6fe24b1cb00
-- APPROVED: lukas.brenner 2026-11-25 sha256:f62fc86cb79d6568bd593a3ffcd21d61c6168b5937e82b9557f3a6fe24b1cb00
-- ============================================================================

-- Enums ------------------------------------------------------------------------

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'encounter_type'
  ) THEN
    CREATE TYPE public.encounter_type AS ENUM ('outpatient', 'inpatient', 'emergency', 'telehealth', 'home_visit');
  END IF;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'encounter_status'
  ) THEN
    CREATE TYPE public.encounter_status AS ENUM ('planned', 'in_progress', 'finished', 'cancelled');
  END IF;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'severity_level'
  ) THEN
    CREATE TYPE public.severity_level AS ENUM ('mild', 'moderate', 'severe', 'life_threatening');
  END IF;
END $$;

-- encounters -------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.encounters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE RESTRICT,
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  practitioner_id uuid REFERENCES public.practitioners (id) ON DELETE SET NULL,
  facility_id uuid REFERENCES public.facilities (id) ON DELETE SET NULL,
  encounter_type public.encounter_type NOT NULL,
  status public.encounter_status NOT NULL DEFAULT 'planned',
  reason text,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);

CREATE INDEX IF NOT EXISTS idx_encounters_patient_started ON public.encounters (patient_id, started_at DESC);
CREATE INDEX IF NOT EXISTS idx_encounters_practitioner_id ON public.encounters (practitioner_id);

COMMENT ON TABLE public.encounters IS 'A contact between a patient and the organization (visit, admission, telehealth call).';

-- diagnoses --------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.diagnoses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  encounter_id uuid REFERENCES public.encounters (id) ON DELETE SET NULL,
  icd10_code text NOT NULL CHECK (icd10_code ~ '^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$'),
  description text NOT NULL,
  clinical_status text NOT NULL DEFAULT 'active'
    CHECK (clinical_status IN ('active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved')),
  verification_status text NOT NULL DEFAULT 'confirmed'
    CHECK (verification_status IN ('provisional', 'differential', 'confirmed', 'refuted', 'entered_in_error')),
  onset_date date,
  abatement_date date,
  recorded_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (abatement_date IS NULL OR onset_date IS NULL OR abatement_date >= onset_date)
);

CREATE INDEX IF NOT EXISTS idx_diagnoses_patient_id ON public.diagnoses (patient_id);
CREATE INDEX IF NOT EXISTS idx_diagnoses_icd10_code ON public.diagnoses (icd10_code);

COMMENT ON TABLE public.diagnoses IS 'Problem list entries coded in ICD-10-CM, following the FHIR Condition resource statuses.';

-- medications ------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.medications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  encounter_id uuid REFERENCES public.encounters (id) ON DELETE SET NULL,
  medication_name text NOT NULL,
  rxnorm_code text CHECK (rxnorm_code ~ '^[0-9]{1,8}$'),
  dose_amount numeric(10, 3) CHECK (dose_amount > 0),
  dose_unit text,
  route text CHECK (route IN ('oral', 'intravenous', 'intramuscular', 'subcutaneous', 'topical', 'inhaled', 'sublingual', 'rectal', 'transdermal', 'other')),
  frequency text,
  status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'on_hold', 'completed', 'stopped', 'entered_in_error')),
  start_date date,
  end_date date,
  prescribed_by uuid REFERENCES public.practitioners (id) ON DELETE SET NULL,
  notes text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);

CREATE INDEX IF NOT EXISTS idx_medications_patient_status ON public.medications (patient_id, status);

COMMENT ON TABLE public.medications IS 'Medication statements and prescriptions, coded in RxNorm when known.';

-- allergies --------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.allergies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  substance text NOT NULL,
  substance_code text,
  reaction text,
  severity public.severity_level,
  criticality text CHECK (criticality IN ('low', 'high', 'unable_to_assess')),
  onset_date date,
  is_verified boolean NOT NULL DEFAULT false,
  recorded_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_allergies_patient_id ON public.allergies (patient_id);

COMMENT ON TABLE public.allergies IS 'Allergies and intolerances; is_verified is set once a clinician confirms an AI-extracted entry.';

-- lab_results ------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.lab_results (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  encounter_id uuid REFERENCES public.encounters (id) ON DELETE SET NULL,
  loinc_code text CHECK (loinc_code ~ '^[0-9]{1,7}-[0-9]$'),
  test_name text NOT NULL,
  value_numeric numeric,
  value_text text,
  unit text,
  reference_low numeric,
  reference_high numeric,
  abnormal_flag text CHECK (abnormal_flag IN ('L', 'H', 'LL', 'HH', 'N', 'A')),
  collected_at timestamptz NOT NULL,
  resulted_at timestamptz,
  performing_lab text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (value_numeric IS NOT NULL OR value_text IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS idx_lab_results_patient_collected ON public.lab_results (patient_id, collected_at DESC);

COMMENT ON TABLE public.lab_results IS 'Laboratory observations, coded in LOINC; one row per analyte.';

-- vital_signs ------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.vital_signs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  encounter_id uuid REFERENCES public.encounters (id) ON DELETE SET NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  systolic_mmhg smallint CHECK (systolic_mmhg BETWEEN 40 AND 300),
  diastolic_mmhg smallint CHECK (diastolic_mmhg BETWEEN 20 AND 200),
  heart_rate_bpm smallint CHECK (heart_rate_bpm BETWEEN 20 AND 300),
  respiratory_rate smallint CHECK (respiratory_rate BETWEEN 4 AND 80),
  temperature_c numeric(4, 1) CHECK (temperature_c BETWEEN 25 AND 45),
  spo2_percent smallint CHECK (spo2_percent BETWEEN 50 AND 100),
  weight_kg numeric(5, 2) CHECK (weight_kg > 0 AND weight_kg < 700),
  height_cm numeric(5, 1) CHECK (height_cm BETWEEN 30 AND 280),
  recorded_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_vital_signs_patient_recorded ON public.vital_signs (patient_id, recorded_at DESC);

COMMENT ON TABLE public.vital_signs IS 'Vital sign measurements taken at an encounter or reported from a home device.';

-- clinical_notes ---------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.clinical_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  encounter_id uuid REFERENCES public.encounters (id) ON DELETE SET NULL,
  author_id uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  note_type text NOT NULL
    CHECK (note_type IN ('progress', 'admission', 'discharge', 'consultation', 'procedure', 'nursing')),
  title text,
  body text NOT NULL,
  signed_at timestamptz,
  amended_from_id uuid REFERENCES public.clinical_notes (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_clinical_notes_patient_created ON public.clinical_notes (patient_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_clinical_notes_encounter_id ON public.clinical_notes (encounter_id);

COMMENT ON TABLE public.clinical_notes IS 'Free-text clinical documentation. A signed note is corrected by an amendment (amended_from_id), never edited.';

-- Triggers ---------------------------------------------------------------------

CREATE OR REPLACE TRIGGER trg_encounters_updated_at
  BEFORE UPDATE ON public.encounters
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_diagnoses_updated_at
  BEFORE UPDATE ON public.diagnoses
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_medications_updated_at
  BEFORE UPDATE ON public.medications
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_allergies_updated_at
  BEFORE UPDATE ON public.allergies
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_clinical_notes_updated_at
  BEFORE UPDATE ON public.clinical_notes
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_diagnoses_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.diagnoses
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

CREATE OR REPLACE TRIGGER trg_medications_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.medications
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

CREATE OR REPLACE TRIGGER trg_allergies_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.allergies
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

CREATE OR REPLACE TRIGGER trg_clinical_notes_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.clinical_notes
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

-- Row level security -----------------------------------------------------------

ALTER TABLE public.encounters ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.diagnoses ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.medications ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.allergies ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.lab_results ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.vital_signs ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.clinical_notes ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS encounters_select_with_access ON public.encounters;
CREATE POLICY encounters_select_with_access ON public.encounters
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS encounters_write_care_staff ON public.encounters;
CREATE POLICY encounters_write_care_staff ON public.encounters
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS encounters_service_role_all ON public.encounters;
CREATE POLICY encounters_service_role_all ON public.encounters
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS diagnoses_select_with_access ON public.diagnoses;
CREATE POLICY diagnoses_select_with_access ON public.diagnoses
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS diagnoses_write_care_staff ON public.diagnoses;
CREATE POLICY diagnoses_write_care_staff ON public.diagnoses
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS diagnoses_service_role_all ON public.diagnoses;
CREATE POLICY diagnoses_service_role_all ON public.diagnoses
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS medications_select_with_access ON public.medications;
CREATE POLICY medications_select_with_access ON public.medications
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS medications_write_care_staff ON public.medications;
CREATE POLICY medications_write_care_staff ON public.medications
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS medications_service_role_all ON public.medications;
CREATE POLICY medications_service_role_all ON public.medications
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS allergies_select_with_access ON public.allergies;
CREATE POLICY allergies_select_with_access ON public.allergies
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS allergies_write_care_staff ON public.allergies;
CREATE POLICY allergies_write_care_staff ON public.allergies
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS allergies_service_role_all ON public.allergies;
CREATE POLICY allergies_service_role_all ON public.allergies
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS lab_results_select_with_access ON public.lab_results;
CREATE POLICY lab_results_select_with_access ON public.lab_results
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS lab_results_write_care_staff ON public.lab_results;
CREATE POLICY lab_results_write_care_staff ON public.lab_results
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS lab_results_service_role_all ON public.lab_results;
CREATE POLICY lab_results_service_role_all ON public.lab_results
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS vital_signs_select_with_access ON public.vital_signs;
CREATE POLICY vital_signs_select_with_access ON public.vital_signs
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS vital_signs_insert_patient_or_staff ON public.vital_signs;
CREATE POLICY vital_signs_insert_patient_or_staff ON public.vital_signs
  FOR INSERT TO authenticated
  WITH CHECK (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS vital_signs_update_care_staff ON public.vital_signs;
CREATE POLICY vital_signs_update_care_staff ON public.vital_signs
  FOR UPDATE TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS vital_signs_service_role_all ON public.vital_signs;
CREATE POLICY vital_signs_service_role_all ON public.vital_signs
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS clinical_notes_select_with_access ON public.clinical_notes;
CREATE POLICY clinical_notes_select_with_access ON public.clinical_notes
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS clinical_notes_insert_care_staff ON public.clinical_notes;
CREATE POLICY clinical_notes_insert_care_staff ON public.clinical_notes
  FOR INSERT TO authenticated
  WITH CHECK (author_id = auth.uid() AND public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS clinical_notes_update_care_staff ON public.clinical_notes;
CREATE POLICY clinical_notes_update_care_staff ON public.clinical_notes
  FOR UPDATE TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS clinical_notes_service_role_all ON public.clinical_notes;
CREATE POLICY clinical_notes_service_role_all ON public.clinical_notes
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- Verification Query
-- Row level security is enabled on every table of this domain.
-- VERIFY: SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.oid IN ('public.encounters'::regclass, 'public.diagnoses'::regclass, 'public.medications'::regclass, 'public.allergies'::regclass, 'public.lab_results'::regclass, 'public.vital_signs'::regclass, 'public.clinical_notes'::regclass)
