CREATE TABLE IF NOT EXISTS public.organizations (
  id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
  name text NOT NULL
);
ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
