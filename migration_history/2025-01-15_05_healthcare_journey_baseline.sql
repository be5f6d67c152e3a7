-- ============================================================================
-- Migration: Healthcare journey baseline
-- Date: 2025-01-15
-- Issue: Initial schema for care journeys, care plans and appointments
--
-- PROBLEM: Care programmes, care plans, appointments and care team tasks are
--   tracked in spreadsheets outside the platform.
-- SOLUTION: Create the journey enums and the care_journeys,
--   journey_milestones, care_plans, care_plan_goals, appointments and
--   care_tasks tables with triggers, RLS and policies.
-- AFFECTED TABLES: care_journeys, journey_milestones, care_plans,
--   care_plan_goals, appointments, care_tasks
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/05_healthcare_journey.sql (Lines 67-82: care_journeys table)
--   [X] current_schema/05_healthcare_journey.sql (Lines 93-106: journey_milestones table)
--   [X] current_schema/05_healthcare_journey.sql (Lines 112-126: care_plans table)
--   [X] current_schema/05_healthcare_journey.sql (Lines 134-147: care_plan_goals table)
--   [X] current_schema/05_healthcare_journey.sql (Lines 155-173: appointments table)
--   [X] current_schema/05_healthcare_journey.sql (Lines 182-198: care_tasks table)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:518b3bf6da7753af78961847efbea779402410a564a9b3cc41389d101395c722
-- APPROVED: lukas.brenner 2026-11-25 sha256:518b3bf6da7753af78961847efbea779402410a564a9b3cc41389d101395c722
-- ============================================================================

-- Enums ------------------------------------------------------------------------

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'journey_stage'
  ) THEN
    CREATE TYPE public.journey_stage AS ENUM (
      'referral',
      'assessment',
      'treatment',
      'monitoring',
      'follow_up',
      'completed',
      'withdrawn'
    );
  END IF;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'appointment_status'
  ) THEN
    CREATE TYPE public.appointment_status AS ENUM (
      'requested',
      'scheduled',
      'checked_in',
      'completed',
      'cancelled',
      'no_show'
    );
  END IF;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'task_status'
  ) THEN
    CREATE TYPE public.task_status AS ENUM ('open', 'in_progress', 'blocked', 'done', 'cancelled');
  END IF;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'task_priority'
  ) THEN
    CREATE TYPE public.task_priority AS ENUM ('low', 'normal', 'high', 'urgent');
  END IF;
END $$;

-- care_journeys ----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.care_journeys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE RESTRICT,
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  journey_type text NOT NULL
    CHECK (journey_type IN ('oncology', 'maternity', 'cardiac_rehab', 'diabetes', 'post_surgical', 'mental_health', 'general')),
  title text NOT NULL,
  stage public.journey_stage NOT NULL DEFAULT 'referral',
  coordinator_id uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (completed_at IS NULL OR completed_at >= started_at)
);

CREATE INDEX IF NOT EXISTS idx_care_journeys_patient_id ON public.care_journeys (patient_id);
CREATE INDEX IF NOT EXISTS idx_care_journeys_coordinator_active
  ON public.care_journeys (coordinator_id)
  WHERE stage NOT IN ('completed', 'withdrawn');

COMMENT ON TABLE public.care_journeys IS 'A patient''s pathway through a care programme, from referral to completion.';

-- journey_milestones -----------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.journey_milestones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  journey_id uuid NOT NULL REFERENCES public.care_journeys (id) ON DELETE CASCADE,
  sequence_number integer NOT NULL CHECK (sequence_number > 0),
  title text NOT NULL,
  description text,
  stage public.journey_stage NOT NULL,
  due_date date,
  completed_at timestamptz,
  completed_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (journey_id, sequence_number)
);

COMMENT ON TABLE public.journey_milestones IS 'Ordered checkpoints of a care journey (e.g. first chemotherapy cycle, 6-week review).';

-- care_plans -------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.care_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  journey_id uuid REFERENCES public.care_journeys (id) ON DELETE SET NULL,
  title text NOT NULL,
  description text,
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'active', 'on_hold', 'completed', 'revoked')),
  period_start date,
  period_end date,
  author_id uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start)
);

CREATE INDEX IF NOT EXISTS idx_care_plans_patient_status ON public.care_plans (patient_id, status);

COMMENT ON TABLE public.care_plans IS 'Care plans agreed between the care team and the patient, optionally within a journey.';

-- care_plan_goals --------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.care_plan_goals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  care_plan_id uuid NOT NULL REFERENCES public.care_plans (id) ON DELETE CASCADE,
  description text NOT NULL,
  measure text,
  target_value text,
  target_date date,
  status text NOT NULL DEFAULT 'proposed'
    CHECK (status IN ('proposed', 'in_progress', 'achieved', 'not_achieved', 'cancelled')),
  achieved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'achieved' OR achieved_at IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS idx_care_plan_goals_care_plan_id ON public.care_plan_goals (care_plan_id);

COMMENT ON TABLE public.care_plan_goals IS 'Measurable goals of a care plan (e.g. HbA1c below 7.0 percent by a target date).';

-- appointments -----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.appointments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE RESTRICT,
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  practitioner_id uuid REFERENCES public.practitioners (id) ON DELETE SET NULL,
  facility_id uuid REFERENCES public.facilities (id) ON DELETE SET NULL,
  journey_id uuid REFERENCES public.care_journeys (id) ON DELETE SET NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status public.appointment_status NOT NULL DEFAULT 'requested',
  visit_mode text NOT NULL DEFAULT 'in_person' CHECK (visit_mode IN ('in_person', 'video', 'phone')),
  reason text,
  cancellation_reason text,
  created_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (status <> 'cancelled' OR cancellation_reason IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS idx_appointments_patient_starts ON public.appointments (patient_id, starts_at);
CREATE INDEX IF NOT EXISTS idx_appointments_practitioner_starts ON public.appointments (practitioner_id, starts_at);

COMMENT ON TABLE public.appointments IS 'Scheduled visits; patients may request, staff schedule and confirm.';

-- care_tasks -------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.care_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  journey_id uuid REFERENCES public.care_journeys (id) ON DELETE SET NULL,
  assigned_to uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  created_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  title text NOT NULL,
  description text,
  priority public.task_priority NOT NULL DEFAULT 'normal',
  status public.task_status NOT NULL DEFAULT 'open',
  due_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'done' OR completed_at IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS idx_care_tasks_assignee_open
  ON public.care_tasks (assigned_to, due_at)
  WHERE status IN ('open', 'in_progress', 'blocked');
CREATE INDEX IF NOT EXISTS idx_care_tasks_patient_id ON public.care_tasks (patient_id);

COMMENT ON TABLE public.care_tasks IS 'Work items for the care team (call the patient, review a result, renew a prescription).';

-- Triggers ---------------------------------------------------------------------

CREATE OR REPLACE TRIGGER trg_care_journeys_updated_at
  BEFORE UPDATE ON public.care_journeys
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_journey_milestones_updated_at
  BEFORE UPDATE ON public.journey_milestones
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_care_plans_updated_at
  BEFORE UPDATE ON public.care_plans
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_care_plan_goals_updated_at
  BEFORE UPDATE ON public.care_plan_goals
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_appointments_updated_at
  BEFORE UPDATE ON public.appointments
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_care_tasks_updated_at
  BEFORE UPDATE ON public.care_tasks
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Row level security -----------------------------------------------------------

ALTER TABLE public.care_journeys ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.journey_milestones ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.care_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.care_plan_goals ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.care_tasks ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS care_journeys_select_with_access ON public.care_journeys;
CREATE POLICY care_journeys_select_with_access ON public.care_journeys
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS care_journeys_write_care_staff ON public.care_journeys;
CREATE POLICY care_journeys_write_care_staff ON public.care_journeys
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS care_journeys_service_role_all ON public.care_journeys;
CREATE POLICY care_journeys_service_role_all ON public.care_journeys
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS journey_milestones_select_with_access ON public.journey_milestones;
CREATE POLICY journey_milestones_select_with_access ON public.journey_milestones
  FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.care_journeys j WHERE j.id = journey_id));

DROP POLICY IF EXISTS journey_milestones_write_care_staff ON public.journey_milestones;
CREATE POLICY journey_milestones_write_care_staff ON public.journey_milestones
  FOR ALL TO authenticated
  USING (
    EXISTS (
      SELECT 1 FROM public.care_journeys j
      WHERE j.id = journey_id AND public.is_patient_care_staff(j.patient_id)
    )
  )
  WITH CHECK (
    EXISTS (
      SELECT 1 FROM public.care_journeys j
      WHERE j.id = journey_id AND public.is_patient_care_staff(j.patient_id)
    )
  );

DROP POLICY IF EXISTS journey_milestones_service_role_all ON public.journey_milestones;
CREATE POLICY journey_milestones_service_role_all ON public.journey_milestones
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS care_plans_select_with_access ON public.care_plans;
CREATE POLICY care_plans_select_with_access ON public.care_plans
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS care_plans_write_care_staff ON public.care_plans;
CREATE POLICY care_plans_write_care_staff ON public.care_plans
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS care_plans_service_role_all ON public.care_plans;
CREATE POLICY care_plans_service_role_all ON public.care_plans
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS care_plan_goals_select_with_access ON public.care_plan_goals;
CREATE POLICY care_plan_goals_select_with_access ON public.care_plan_goals
  FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.care_plans c WHERE c.id = care_plan_id));

DROP POLICY IF EXISTS care_plan_goals_write_care_staff ON public.care_plan_goals;
CREATE POLICY care_plan_goals_write_care_staff ON public.care_plan_goals
  FOR ALL TO authenticated
  USING (
    EXISTS (
      SELECT 1 FROM public.care_plans c
      WHERE c.id = care_plan_id AND public.is_patient_care_staff(c.patient_id)
    )
  )
  WITH CHECK (
    EXISTS (
      SELECT 1 FROM public.care_plans c
      WHERE c.id = care_plan_id AND public.is_patient_care_staff(c.patient_id)
    )
  );

DROP POLICY IF EXISTS care_plan_goals_service_role_all ON public.care_plan_goals;
CREATE POLICY care_plan_goals_service_role_all ON public.care_plan_goals
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS appointments_select_with_access ON public.appointments;
CREATE POLICY appointments_select_with_access ON public.appointments
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS appointments_insert_patient_request ON public.appointments;
CREATE POLICY appointments_insert_patient_request ON public.appointments
  FOR INSERT TO authenticated
  WITH CHECK (
    status = 'requested'
    AND created_by = auth.uid()
    AND public.is_patient_self(patient_id)
  );

DROP POLICY IF EXISTS appointments_write_care_staff ON public.appointments;
CREATE POLICY appointments_write_care_staff ON public.appointments
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS appointments_service_role_all ON public.appointments;
CREATE POLICY appointments_service_role_all ON public.appointments
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS care_tasks_select_org_staff ON public.care_tasks;
CREATE POLICY care_tasks_select_org_staff ON public.care_tasks
  FOR SELECT TO authenticated
  USING (assigned_to = auth.uid() OR public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS care_tasks_write_care_staff ON public.care_tasks;
CREATE POLICY care_tasks_write_care_staff ON public.care_tasks
  FOR ALL TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS care_tasks_service_role_all ON public.care_tasks;
CREATE POLICY care_tasks_service_role_all ON public.care_tasks
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- Verification Query
-- Row level security is enabled on every table of this domain.
-- VERIFY: SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.oid IN ('public.care_journeys'::regclass, 'public.journey_milestones'::regclass, 'public.care_plans'::regclass, 'public.care_plan_goals'::regclass, 'public.appointments'::regclass, 'public.care_tasks'::regclass)
