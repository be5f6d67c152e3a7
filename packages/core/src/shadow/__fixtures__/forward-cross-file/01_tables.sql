CREATE TABLE public.visits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id uuid NOT NULL,
  status public.visit_status NOT NULL DEFAULT 'planned'
);
