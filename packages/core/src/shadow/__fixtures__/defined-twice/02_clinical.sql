-- Copied from 01 when the domains were split, and never removed.
CREATE TABLE public.patients (
  id uuid PRIMARY KEY,
  full_name text NOT NULL,
  birth_date date
);

CREATE TABLE IF NOT EXISTS public.patients (
  id uuid PRIMARY KEY
);
