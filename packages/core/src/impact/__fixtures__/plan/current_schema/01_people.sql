-- People and what reads them.
CREATE TABLE IF NOT EXISTS public.people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  full_name text NOT NULL,
  ssn text
);
ALTER TABLE public.people ENABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS public.visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES public.people(id),
  note text
);
ALTER TABLE public.visits ENABLE ROW LEVEL SECURITY;
