-- ============================================================================
-- Migration: Add nickname
-- Date: 2025-10-02
-- Issue: Patients ask to be called by a nickname
--
-- PROBLEM: No place for a nickname.
-- SOLUTION: A nullable column.
-- ============================================================================

ALTER TABLE public.people ADD COLUMN nickname text;
