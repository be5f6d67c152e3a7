-- 02_profiles.sql — patients and staff
CREATE TABLE IF NOT EXISTS public.patients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users (id),
  full_name text NOT NULL,
  preferred_language text NOT NULL DEFAULT 'fr',
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.patients ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Patients read themselves" ON public.patients
  FOR SELECT TO authenticated USING (user_id = auth.uid());

CREATE TABLE IF NOT EXISTS public.staff (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users (id),
  clinic_id uuid NOT NULL,
  role text NOT NULL
);
ALTER TABLE public.staff ENABLE ROW LEVEL SECURITY;
