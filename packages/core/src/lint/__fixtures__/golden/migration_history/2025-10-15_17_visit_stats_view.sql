-- ============================================================================
-- Migration: Visit statistics per clinic
-- Date: 2025-10-15
-- Issue: Dashboard query is slow
--
-- PROBLEM: The dashboard counts visits on every load.
-- SOLUTION: Precompute counts in a materialized view.
-- AFFECTED TABLES: visit_stats, visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/07_optimization.sql (Line 1: visit_stats materialized view)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

CREATE MATERIALIZED VIEW IF NOT EXISTS public.visit_stats AS
SELECT clinic_id, date_trunc('week', scheduled_at) AS week, count(*) AS visits
  FROM public.visits
 GROUP BY 1, 2;
