\set ON_ERROR_STOP on
\echo 'Building foundations → ✅'
-- Extensions
CREATE EXTENSION IF NOT EXISTS pgcrypto;
  \i current_schema/02_profiles.sql
\c healthcare
CREATE FUNCTION public.greeting() RETURNS text LANGUAGE sql AS $$
\echo is text inside a dollar quote, not a meta-command
SELECT 'hello'
$$;
\echo done
