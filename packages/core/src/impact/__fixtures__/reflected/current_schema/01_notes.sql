-- current_schema/ after 01 and 02 (both ticked): the policy 02 replaced is gone.
CREATE TABLE IF NOT EXISTS public.notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  author text NOT NULL,
  signed boolean NOT NULL DEFAULT false
);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;

CREATE POLICY notes_update_author_unsigned ON public.notes
  FOR UPDATE USING (author = current_user AND NOT signed);
