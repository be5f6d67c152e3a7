BEGIN;

CREATE TABLE public.members (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  CONSTRAINT members_organization_fk FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE
);

CREATE TABLE public.member_notes (
  id uuid PRIMARY KEY,
  member_id uuid NOT NULL REFERENCES public.members (id)
);

COMMIT;
