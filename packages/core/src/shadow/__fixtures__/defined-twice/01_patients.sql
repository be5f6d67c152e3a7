CREATE TABLE public.patients (
  id uuid PRIMARY KEY,
  full_name text NOT NULL
);
