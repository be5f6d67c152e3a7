CREATE TABLE public.rooms (id uuid PRIMARY KEY, name text NOT NULL);

ALTER TABLE public.rooms ADD COLUMN floor integer DEFAULT;

CREATE INDEX rooms_name_idx ON public.rooms (name);

INSERT INTO public.rooms (id, name) VALUES (gen_random_uuid(), 'Salle é → 🚀');

UPDATE public.rooms SET name = 'x' WHER id IS NULL;

COMMENT ON TABLE public.rooms IS 'Rooms → floors';
