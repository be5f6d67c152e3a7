CREATE TABLE public.before_crash (id integer PRIMARY KEY);
-- Ends this session: the build cannot go on and must still drop its temporary database.
SELECT pg_terminate_backend(pg_backend_pid());
CREATE TABLE public.after_crash (id integer PRIMARY KEY);
