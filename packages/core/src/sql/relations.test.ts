import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, span } from './__fixtures__/fixtures.js';
import { loadParser, parseSql } from './parser.js';
import { relationsOf } from './relations.js';
import type { RelationRef } from './types.js';
import { nodesUnder, walk } from './walk.js';

beforeAll(() => loadParser());

/** `action schema.name` */
function label(relation: RelationRef): string {
  return `${relation.action} ${relation.schema ? `${relation.schema}.` : ''}${relation.name}`;
}

/** The labelled relations of each statement in `sql`. */
function relations(sql: string): string[][] {
  return parseSql(sql).statements.map((statement) => relationsOf(statement).map(label));
}

describe('relationsOf', () => {
  it('reads the tables created, altered and dropped', () => {
    expect(
      relations(`
        CREATE TABLE public.rooms (id int, building_id int REFERENCES public.buildings (id));
        CREATE TABLE IF NOT EXISTS archive.rooms AS SELECT * FROM public.rooms r JOIN public.floors f ON true;
        CREATE MATERIALIZED VIEW reporting.room_usage AS SELECT count(*) FROM public.visits;
        CREATE OR REPLACE VIEW public.open_rooms AS SELECT * FROM public.rooms WHERE open;
        ALTER TABLE ONLY public.rooms ADD COLUMN floor int, ENABLE ROW LEVEL SECURITY;
        ALTER TABLE rooms FORCE ROW LEVEL SECURITY;
        ALTER INDEX rooms_pkey RENAME TO rooms_pk;
        ALTER TABLE public.rooms SET SCHEMA archive;
        DROP TABLE IF EXISTS public.rooms, archive.rooms CASCADE;
        DROP VIEW reporting.old_view;
        DROP INDEX public.rooms_name_idx;
      `),
    ).toEqual([
      ['create public.rooms'],
      ['create archive.rooms', 'select public.rooms', 'select public.floors'],
      ['create reporting.room_usage', 'select public.visits'],
      ['create public.open_rooms', 'select public.rooms'],
      ['rls public.rooms', 'alter public.rooms'],
      ['rls rooms'],
      [],
      ['alter public.rooms'],
      ['drop public.rooms', 'drop archive.rooms'],
      ['drop reporting.old_view'],
      [],
    ]);
  });

  it('reads the targets and sources of data changes, but not CTE names', () => {
    expect(
      relations(`
        INSERT INTO public.rooms (id) SELECT id FROM staging.rooms ON CONFLICT DO NOTHING;
        WITH moved AS (SELECT id FROM public.visits WHERE old) UPDATE public.rooms r SET used = true FROM moved WHERE r.id = moved.id;
        DELETE FROM public.rooms USING public.buildings b WHERE b.id = building_id AND b.id IN (SELECT id FROM audit.demolished);
        TRUNCATE public.rooms, public.floors;
        SELECT * FROM public.rooms;
      `),
    ).toEqual([
      ['insert public.rooms', 'select staging.rooms'],
      ['update public.rooms', 'select public.visits'],
      ['delete public.rooms', 'select public.buildings', 'select audit.demolished'],
      ['truncate public.rooms', 'truncate public.floors'],
      ['select public.rooms'],
    ]);
  });

  it('reads policies, triggers, indexes, comments, grants, renames and locks', () => {
    expect(
      relations(`
        CREATE POLICY "own rows" ON public.visits FOR SELECT USING (auth.uid() = patient_id);
        ALTER POLICY "own rows" ON public.visits USING (true);
        DROP POLICY IF EXISTS "own rows" ON public.visits;
        CREATE TRIGGER touch BEFORE UPDATE ON public.visits FOR EACH ROW EXECUTE FUNCTION touch();
        DROP TRIGGER IF EXISTS touch ON visits;
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS visits_code_idx ON public.visits (code);
        COMMENT ON TABLE public.visits IS 'Visits';
        COMMENT ON COLUMN public.visits.code IS 'Code';
        COMMENT ON CONSTRAINT visits_code_check ON public.visits IS 'Check';
        GRANT SELECT, INSERT ON public.visits, public.rooms TO authenticated;
        REVOKE ALL ON TABLE public.visits FROM anon;
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO service_role;
        GRANT EXECUTE ON FUNCTION public.touch() TO anon;
        ALTER TABLE public.visits RENAME COLUMN code TO visit_code;
        ALTER TABLE public.visits RENAME TO appointments;
        LOCK TABLE public.visits IN ACCESS EXCLUSIVE MODE;
      `),
    ).toEqual([
      ['policy public.visits'],
      ['policy public.visits'],
      ['policy public.visits'],
      ['trigger public.visits'],
      ['trigger visits'],
      ['index public.visits'],
      ['comment public.visits'],
      ['comment public.visits'],
      ['comment public.visits'],
      ['grant public.visits', 'grant public.rooms'],
      ['grant public.visits'],
      [],
      [],
      ['rename public.visits'],
      ['rename public.visits'],
      ['lock public.visits'],
    ]);
  });

  it('returns nothing for statements that touch no table', () => {
    expect(relations('CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE TYPE s AS ENUM (\'a\'); BEGIN; DO $$ BEGIN END $$;')).toEqual([
      [],
      [],
      [],
      [],
    ]);
  });

  it('locates each name in the file, after non-ASCII text', () => {
    const [, alter, firstUpdate, secondUpdate, comment] = parseSql(fixture('non-ascii-comments.sql')).statements;
    expect(relationsOf(alter).map((relation) => relation.location && span(relation.location))).toEqual(['11:13-11:26']);
    expect(relationsOf(firstUpdate).map((relation) => relation.location && span(relation.location))).toEqual(['14:8-14:21']);
    expect(relationsOf(secondUpdate).map((relation) => relation.location && span(relation.location))).toEqual(['14:69-14:82']);
    // COMMENT ON names its object as a plain list: no location.
    expect(relationsOf(comment)).toEqual([{ schema: 'public', name: 'visits', action: 'comment' }]);
  });

  it('locates quoted and spaced qualified names', () => {
    const [statement] = parseSql('INSERT INTO "Clinical" . "Visit Notes" VALUES (1);').statements;
    expect(relationsOf(statement)).toEqual([
      { schema: 'Clinical', name: 'Visit Notes', action: 'insert', location: expect.anything() },
    ]);
    expect(span(relationsOf(statement)[0].location!)).toBe('1:13-1:39');
  });

  it('reads nested statements of a DO block', () => {
    const { nested } = parseSql(fixture('do-block-guards.sql'));
    expect(nested.map((statement) => relationsOf(statement).map(label))).toEqual([
      ['alter public.visits'],
      [],
      ['policy public.visits'],
      ['create public.visits_archive'],
      ['update public.visits'],
      ['rls public.visits'],
    ]);
    expect(span(relationsOf(nested[0])[0].location!)).toBe('11:17-11:30');
  });
});

describe('walk', () => {
  it('visits every wrapped node in document order with its type name', () => {
    const [statement] = parseSql('SELECT a FROM public.t JOIN u ON t.id = u.id WHERE b IN (SELECT c FROM v)').statements;
    const rangeVars: string[] = [];
    const types = new Set<string>();
    walk(statement.node, (type, node) => {
      types.add(type);
      if (type === 'RangeVar') rangeVars.push(node.relname);
    });
    expect(rangeVars).toEqual(['t', 'u', 'v']);
    expect([...types]).toEqual(expect.arrayContaining(['ResTarget', 'ColumnRef', 'JoinExpr', 'A_Expr', 'SubLink', 'SelectStmt']));
  });

  it('skips the children of a node when the visitor returns false', () => {
    const [statement] = parseSql('SELECT 1 FROM t WHERE x IN (SELECT y FROM inner_table)').statements;
    const rangeVars: string[] = [];
    walk(statement.node, (type, node) => {
      if (type === 'RangeVar') rangeVars.push(node.relname);
      return type !== 'SubLink';
    });
    expect(rangeVars).toEqual(['t']);
  });

  it('visits fields in order, an array element before the next field, and only wrapped nodes', () => {
    const tree = { Outer: { list: [{ A: { x: 1 } }, 'text', null, { B: { inner: { C: { y: [] } } } }], after: { D: { z: true } }, bare: { E: {} } } };
    const visited: string[] = [];
    walk(tree, (type) => {
      visited.push(type);
    });
    // E: an empty inner object is still a wrapper; `bare` (a lower-case key) is traversed, not visited.
    expect(visited).toEqual(['Outer', 'A', 'B', 'C', 'D', 'E']);
  });

  it('nodesUnder lists the nodes of one type in walk order, from one walk per root', () => {
    const [statement] = parseSql('WITH w AS (SELECT 1 FROM a) SELECT * FROM b JOIN w ON true WHERE x IN (SELECT y FROM c)').statements;
    const walked: string[] = [];
    walk(statement.node, (type, node) => {
      if (type === 'RangeVar') walked.push(node.relname);
    });
    expect(nodesUnder(statement.node, 'RangeVar').map((node) => node.relname)).toEqual(walked);
    expect(walked).toEqual(['b', 'w', 'c', 'a']); // libpg-query emits withClause after the FROM and WHERE clauses
    expect(nodesUnder(statement.node, 'RangeVar')).toBe(nodesUnder(statement.node, 'RangeVar'));
    expect(nodesUnder(statement.node, 'FuncCall')).toEqual([]);
    expect(nodesUnder(undefined, 'RangeVar')).toEqual([]);
  });

  it('copes with expression trees deeper than the call stack', () => {
    let deep: Record<string, unknown> = { A_Const: { ival: { ival: 1 } } };
    for (let depth = 0; depth < 100_000; depth++) deep = { A_Expr: { lexpr: deep } };
    let count = 0;
    walk(deep, () => {
      count++;
    });
    expect(count).toBe(100_001);
  });
});
