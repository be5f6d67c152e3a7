CREATE TYPE public.visit_status AS ENUM ('planned', 'done', 'cancelled');
