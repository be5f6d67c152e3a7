CREATE TABLE public.slow_table (id integer PRIMARY KEY);
-- Keeps the build busy long enough to interrupt it.
SELECT pg_sleep(60);
