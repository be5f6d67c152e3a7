\echo 'building meta fixture'
CREATE TABLE public.labels (
  id integer PRIMARY KEY,
  label text NOT NULL
);
\set ON_ERROR_STOP on
CREATE INDEX labels_label_idx ON public.labels (label);
