CREATE TABLE IF NOT EXISTS public.members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES public.organizations (id)
);

-- The cycle closed the right way: after both tables.
ALTER TABLE public.organizations
  ADD CONSTRAINT organizations_owner_fk FOREIGN KEY (owner_member_id) REFERENCES public.members (id);

ALTER TABLE public.members ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_service ON public.members FOR ALL TO authenticated USING (public.is_service_role());

-- Replacing a function on purpose is not a duplicate.
CREATE OR REPLACE FUNCTION public.is_service_role()
RETURNS boolean
LANGUAGE sql
STABLE
AS $$
  SELECT coalesce(auth.jwt() ->> 'role', '') IN ('service_role', 'supabase_admin')
$$;

CREATE TYPE public.visit_status AS ENUM ('planned', 'done');
ALTER TYPE public.visit_status ADD VALUE IF NOT EXISTS 'cancelled';
CREATE TABLE public.visits (id uuid PRIMARY KEY, status public.visit_status NOT NULL DEFAULT 'cancelled');
