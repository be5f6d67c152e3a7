-- ============================================================================
-- Migration: Monthly partition for vitals
-- Date: 2025-10-14
-- Issue: October vitals fail to insert
--
-- PROBLEM: No partition covers October 2025.
-- SOLUTION: Create the partition.
-- AFFECTED TABLES: vitals, vitals_2025_10
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [N/A] partitions are created by this job, not listed in current_schema
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.vitals_2025_10 PARTITION OF public.vitals
  FOR VALUES FROM ('2025-10-01') TO ('2025-11-01');
