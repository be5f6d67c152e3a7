-- ============================================================================
-- Migration: Create visit notes
-- Date: 2025-10-03
-- Issue: Notes live in a shared drive
--
-- PROBLEM: Clinicians write notes in documents outside the system.
-- SOLUTION: Create visit_notes with RLS;
--   notes are readable by their author.
-- AFFECTED TABLES: NEW: visit_notes (note storage), visits (indirectly, via FK)
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Lines 16-22: visit_notes table)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.visit_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id uuid NOT NULL REFERENCES public.visits (id),
  author_id uuid NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.visit_notes ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "Staff read notes" ON public.visit_notes;
CREATE POLICY "Staff read notes" ON public.visit_notes
  FOR SELECT TO authenticated USING (author_id = auth.uid());
