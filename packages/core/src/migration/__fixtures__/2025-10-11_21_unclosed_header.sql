-- ============================================================================
-- Migration: Unclosed header
-- Date: 2025-10-11
-- PROBLEM: The author forgot the closing rule.

-- Rollback Script (if needed)

CREATE TABLE IF NOT EXISTS audit_notes (id uuid PRIMARY KEY);
