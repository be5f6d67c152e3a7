import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from './parser.js';
import { describeStatement } from './statement-kind.js';

beforeAll(() => loadParser());

function labels(sql: string): string[] {
  return parseSql(sql).statements.map(describeStatement);
}

describe('describeStatement', () => {
  it('names the operation and its object', () => {
    expect(
      labels(`
        CREATE TABLE public.visits (id int);
        ALTER TABLE public.visits ADD COLUMN x int;
        ALTER MATERIALIZED VIEW reporting.usage OWNER TO postgres;
        ALTER TABLE public.visits SET SCHEMA archive;
        CREATE INDEX CONCURRENTLY visits_x_idx ON public.visits (x);
        DROP TABLE IF EXISTS a, s.b;
        DROP POLICY IF EXISTS "own rows" ON public.visits;
        DROP FUNCTION public.touch(uuid);
        CREATE POLICY own ON public.visits USING (true);
        CREATE TRIGGER touch BEFORE UPDATE ON public.visits FOR EACH ROW EXECUTE FUNCTION touch();
        INSERT INTO public.visits VALUES (1);
        UPDATE public.visits SET x = 1;
        DELETE FROM public.visits;
        COMMENT ON COLUMN public.visits.x IS 'x';
        GRANT SELECT ON public.visits TO anon;
        REVOKE ALL ON TABLE public.visits FROM anon;
        ALTER TABLE public.visits RENAME COLUMN x TO y;
        CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        DO $$ BEGIN END $$;
        CREATE TYPE public.status AS ENUM ('a');
        ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'b';
        CREATE EXTENSION IF NOT EXISTS pgcrypto;
        BEGIN;
        COMMIT;
        SET lock_timeout = '5s';
        CREATE SEQUENCE public.visit_seq;
      `),
    ).toEqual([
      'CREATE TABLE public.visits',
      'ALTER TABLE public.visits',
      'ALTER MATERIALIZED VIEW reporting.usage',
      'ALTER TABLE public.visits SET SCHEMA archive',
      'CREATE INDEX visits_x_idx ON public.visits',
      'DROP TABLE a, s.b',
      'DROP POLICY own rows ON public.visits',
      'DROP FUNCTION public.touch',
      'CREATE POLICY own ON public.visits',
      'CREATE TRIGGER touch ON public.visits',
      'INSERT INTO public.visits',
      'UPDATE public.visits',
      'DELETE FROM public.visits',
      'COMMENT ON COLUMN public.visits.x',
      'GRANT ON TABLE public.visits',
      'REVOKE ON TABLE public.visits',
      'RENAME COLUMN public.visits.x',
      'CREATE FUNCTION public.touch',
      'DO block',
      'CREATE TYPE public.status',
      'ALTER TYPE public.status',
      'CREATE EXTENSION pgcrypto',
      'BEGIN',
      'COMMIT',
      'SET lock_timeout',
      'CREATE SEQ',
    ]);
  });
});
