-- ============================================================================
-- Migration: Create clinics
-- Date: 2025-09-01
-- Issue: Clinics are not modelled
--
-- PROBLEM: Visits reference a clinic id with no table behind it.
-- SOLUTION: Create the clinics table.
-- AFFECTED TABLES: clinics
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Line 5: visits.clinic_id)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated
--   [X] TypeScript types updated
--
-- COST ANALYSIS: negligible, new empty table
-- LOCKING CONSIDERATION: none
--
-- MIGRATION EXECUTED:
--   Applied in the Supabase SQL editor on 2025-09-02.
-- ============================================================================

CREATE TABLE public.clinics (id uuid PRIMARY KEY, name text NOT NULL);
INSERT INTO public.clinics (id, name) VALUES (gen_random_uuid(), 'Clinique Saint-Éloi');
