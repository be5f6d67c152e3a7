-- Backfill patient display names
-- pgwarden:lock-timeout 3s
-- Migration: Backfill display names

UPDATE profiles SET display_name = first_name || ' ' || last_name WHERE display_name IS NULL;
-- pgwarden:no-transaction
