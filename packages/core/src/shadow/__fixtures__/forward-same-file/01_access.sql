-- A policy calls a function that the same file defines further down.
CREATE TABLE public.notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid NOT NULL,
  body text NOT NULL
);

ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;

CREATE POLICY notes_service ON public.notes
  FOR ALL TO authenticated
  USING (public.is_service_role());

CREATE POLICY notes_service_insert ON public.notes
  FOR INSERT TO authenticated
  WITH CHECK (public.is_service_role());

CREATE OR REPLACE FUNCTION public.is_service_role()
RETURNS boolean
LANGUAGE sql
STABLE
AS $$
  SELECT coalesce(auth.jwt() ->> 'role', '') = 'service_role'
$$;
