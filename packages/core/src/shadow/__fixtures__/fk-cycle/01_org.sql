BEGIN;

CREATE TABLE public.organizations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  owner_member_id uuid REFERENCES public.members (id)
);

CREATE INDEX organizations_owner_idx ON public.organizations (owner_member_id);

COMMIT;
