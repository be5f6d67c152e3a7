-- ============================================================================
-- Migration: AI processing baseline
-- Date: 2025-01-15
-- Issue: Initial schema for the document AI pipeline
--
-- PROBLEM: Uploaded patient documents, their OCR output and the model
--   extractions that clinicians review have no tables yet.
-- SOLUTION: Create the document enums, ai_models, documents, document_pages
--   (with a trigram index on OCR text), document_extractions and
--   extracted_entities, with triggers, RLS, policies and the
--   can_access_document() helper.
-- AFFECTED TABLES: ai_models, documents, document_pages,
--   document_extractions, extracted_entities
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/04_ai_processing.sql (Lines 59-73: ai_models table)
--   [X] current_schema/04_ai_processing.sql (Lines 79-104: documents table)
--   [X] current_schema/04_ai_processing.sql (Lines 117-127: document_pages table)
--   [X] current_schema/04_ai_processing.sql (Lines 155-171: document_extractions table)
--   [X] current_schema/04_ai_processing.sql (Lines 182-199: extracted_entities table)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated (if applicable)
--   [X] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- APPROVED: amara.okafor 2026-11-25 sha256:ef42b1c2193934365dcd1723e4f18310c3e19786988903a0aca260630cced5a2
-- APPROVED: lukas.brenner 2026-11-25 sha256:ef42b1c2193934365dcd1723e4f18310c3e19786988903a0aca260630cced5a2
-- ============================================================================

-- Enums ------------------------------------------------------------------------

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'document_status'
  ) THEN
    CREATE TYPE public.document_status AS ENUM (
      'uploaded',
      'queued',
      'processing',
      'processed',
      'failed'
    );
  END IF;
END $$;

COMMENT ON TYPE public.document_status IS 'Pipeline state of a document.';

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'document_type'
  ) THEN
    CREATE TYPE public.document_type AS ENUM (
      'lab_report',
      'discharge_summary',
      'prescription',
      'imaging_report',
      'referral_letter',
      'insurance_form',
      'other'
    );
  END IF;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typname = 'review_status'
  ) THEN
    CREATE TYPE public.review_status AS ENUM ('pending', 'approved', 'rejected', 'corrected');
  END IF;
END $$;

-- ai_models --------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.ai_models (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  provider text NOT NULL,
  version text NOT NULL,
  task text NOT NULL CHECK (task IN ('ocr', 'classification', 'extraction', 'summarization', 'embedding')),
  is_active boolean NOT NULL DEFAULT true,
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  deployed_at timestamptz,
  retired_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, version),
  CHECK (retired_at IS NULL OR deployed_at IS NULL OR retired_at >= deployed_at)
);

COMMENT ON TABLE public.ai_models IS 'Registry of model versions used by the pipeline; every extraction records the model that produced it.';

-- documents --------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE RESTRICT,
  patient_id uuid NOT NULL REFERENCES public.patients (id) ON DELETE CASCADE,
  uploaded_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  storage_bucket text NOT NULL DEFAULT 'patient-documents',
  storage_path text NOT NULL,
  original_filename text NOT NULL,
  mime_type text NOT NULL
    CHECK (mime_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'text/plain')),
  file_size_bytes bigint NOT NULL CHECK (file_size_bytes > 0 AND file_size_bytes <= 104857600),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  document_type public.document_type,
  classification_confidence numeric(4, 3) CHECK (classification_confidence BETWEEN 0 AND 1),
  status public.document_status NOT NULL DEFAULT 'uploaded',
  page_count integer CHECK (page_count > 0),
  language text,
  processing_started_at timestamptz,
  processed_at timestamptz,
  error_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (storage_bucket, storage_path)
);

CREATE INDEX IF NOT EXISTS idx_documents_organization_status ON public.documents (organization_id, status);
CREATE INDEX IF NOT EXISTS idx_documents_sha256 ON public.documents (sha256);

COMMENT ON TABLE public.documents IS 'Patient documents (PDF, scans) stored in the patient-documents bucket and processed by the AI pipeline.';
COMMENT ON COLUMN public.documents.document_type IS 'Set by the classification model; NULL until classified.';

-- document_pages ---------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.document_pages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id uuid NOT NULL REFERENCES public.documents (id) ON DELETE CASCADE,
  page_number integer NOT NULL CHECK (page_number > 0),
  ocr_text text,
  ocr_confidence numeric(4, 3) CHECK (ocr_confidence BETWEEN 0 AND 1),
  width_px integer CHECK (width_px > 0),
  height_px integer CHECK (height_px > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (document_id, page_number)
);

CREATE INDEX IF NOT EXISTS idx_document_pages_ocr_text_trgm
  ON public.document_pages USING gin (ocr_text gin_trgm_ops);

COMMENT ON TABLE public.document_pages IS 'OCR output per page; the trigram index serves full-text-like search across a patient''s documents.';

-- Document access helper -------------------------------------------------------

CREATE OR REPLACE FUNCTION public.can_access_document(p_document_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.documents d
    WHERE d.id = p_document_id
      AND public.can_access_patient(d.patient_id)
  );
$$;

COMMENT ON FUNCTION public.can_access_document(uuid) IS 'Read access to a document follows read access to its patient.';

-- document_extractions ---------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.document_extractions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id uuid NOT NULL REFERENCES public.documents (id) ON DELETE CASCADE,
  model_id uuid NOT NULL REFERENCES public.ai_models (id) ON DELETE RESTRICT,
  extraction_kind text NOT NULL
    CHECK (extraction_kind IN ('demographics', 'diagnoses', 'medications', 'lab_results', 'allergies', 'summary')),
  result jsonb NOT NULL DEFAULT '{}'::jsonb,
  confidence numeric(4, 3) CHECK (confidence BETWEEN 0 AND 1),
  review_status public.review_status NOT NULL DEFAULT 'pending',
  reviewed_by uuid REFERENCES public.profiles (id) ON DELETE SET NULL,
  reviewed_at timestamptz,
  tokens_used integer CHECK (tokens_used >= 0),
  latency_ms integer CHECK (latency_ms >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (review_status = 'pending' OR reviewed_at IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS idx_document_extractions_document_id ON public.document_extractions (document_id);
CREATE INDEX IF NOT EXISTS idx_document_extractions_pending
  ON public.document_extractions (created_at)
  WHERE review_status = 'pending';

COMMENT ON TABLE public.document_extractions IS 'Structured output of a model run on a document; a clinician approves, corrects or rejects it.';

-- extracted_entities -----------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.extracted_entities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  extraction_id uuid NOT NULL REFERENCES public.document_extractions (id) ON DELETE CASCADE,
  document_id uuid NOT NULL REFERENCES public.documents (id) ON DELETE CASCADE,
  entity_type text NOT NULL
    CHECK (entity_type IN ('condition', 'medication', 'allergy', 'lab_test', 'procedure', 'vital_sign', 'provider', 'date')),
  raw_text text NOT NULL,
  normalized_code text,
  code_system text CHECK (code_system IN ('ICD-10-CM', 'LOINC', 'RXNORM', 'SNOMED-CT', 'CPT')),
  confidence numeric(4, 3) CHECK (confidence BETWEEN 0 AND 1),
  page_number integer CHECK (page_number > 0),
  char_start integer CHECK (char_start >= 0),
  char_end integer,
  accepted boolean,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (char_end IS NULL OR char_start IS NULL OR char_end >= char_start),
  CHECK ((normalized_code IS NULL) = (code_system IS NULL))
);

CREATE INDEX IF NOT EXISTS idx_extracted_entities_extraction_id ON public.extracted_entities (extraction_id);
CREATE INDEX IF NOT EXISTS idx_extracted_entities_document_type ON public.extracted_entities (document_id, entity_type);

COMMENT ON TABLE public.extracted_entities IS 'Clinical entities found in a document, with their source span and terminology code.';

-- Triggers ---------------------------------------------------------------------

CREATE OR REPLACE TRIGGER trg_ai_models_updated_at
  BEFORE UPDATE ON public.ai_models
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_documents_updated_at
  BEFORE UPDATE ON public.documents
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_document_extractions_updated_at
  BEFORE UPDATE ON public.document_extractions
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE OR REPLACE TRIGGER trg_documents_audit
  AFTER INSERT OR UPDATE OR DELETE ON public.documents
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

CREATE OR REPLACE TRIGGER trg_document_extractions_audit
  AFTER UPDATE ON public.document_extractions
  FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

-- Row level security -----------------------------------------------------------

ALTER TABLE public.ai_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.document_pages ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.document_extractions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.extracted_entities ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS ai_models_select_authenticated ON public.ai_models;
CREATE POLICY ai_models_select_authenticated ON public.ai_models
  FOR SELECT TO authenticated
  USING (true);

DROP POLICY IF EXISTS ai_models_service_role_all ON public.ai_models;
CREATE POLICY ai_models_service_role_all ON public.ai_models
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS documents_select_with_access ON public.documents;
CREATE POLICY documents_select_with_access ON public.documents
  FOR SELECT TO authenticated
  USING (public.can_access_patient(patient_id));

DROP POLICY IF EXISTS documents_insert_uploader ON public.documents;
CREATE POLICY documents_insert_uploader ON public.documents
  FOR INSERT TO authenticated
  WITH CHECK (
    uploaded_by = auth.uid()
    AND (public.is_patient_self(patient_id) OR public.is_patient_care_staff(patient_id))
  );

DROP POLICY IF EXISTS documents_update_care_staff ON public.documents;
CREATE POLICY documents_update_care_staff ON public.documents
  FOR UPDATE TO authenticated
  USING (public.is_patient_care_staff(patient_id))
  WITH CHECK (public.is_patient_care_staff(patient_id));

DROP POLICY IF EXISTS documents_service_role_all ON public.documents;
CREATE POLICY documents_service_role_all ON public.documents
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS document_pages_select_with_access ON public.document_pages;
CREATE POLICY document_pages_select_with_access ON public.document_pages
  FOR SELECT TO authenticated
  USING (public.can_access_document(document_id));

DROP POLICY IF EXISTS document_pages_service_role_all ON public.document_pages;
CREATE POLICY document_pages_service_role_all ON public.document_pages
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS document_extractions_select_with_access ON public.document_extractions;
CREATE POLICY document_extractions_select_with_access ON public.document_extractions
  FOR SELECT TO authenticated
  USING (public.can_access_document(document_id));

DROP POLICY IF EXISTS document_extractions_review_care_staff ON public.document_extractions;
CREATE POLICY document_extractions_review_care_staff ON public.document_extractions
  FOR UPDATE TO authenticated
  USING (
    EXISTS (
      SELECT 1 FROM public.documents d
      WHERE d.id = document_id AND public.is_patient_care_staff(d.patient_id)
    )
  )
  WITH CHECK (reviewed_by = auth.uid());

DROP POLICY IF EXISTS document_extractions_service_role_all ON public.document_extractions;
CREATE POLICY document_extractions_service_role_all ON public.document_extractions
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

DROP POLICY IF EXISTS extracted_entities_select_with_access ON public.extracted_entities;
CREATE POLICY extracted_entities_select_with_access ON public.extracted_entities
  FOR SELECT TO authenticated
  USING (public.can_access_document(document_id));

DROP POLICY IF EXISTS extracted_entities_service_role_all ON public.extracted_entities;
CREATE POLICY extracted_entities_service_role_all ON public.extracted_entities
  FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- Verification Query
-- Row level security is enabled on every table of this domain.
-- VERIFY: SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.oid IN ('public.ai_models'::regclass, 'public.documents'::regclass, 'public.document_pages'::regclass, 'public.document_extractions'::regclass, 'public.extracted_entities'::regclass)
