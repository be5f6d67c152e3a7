import { describe, expect, it } from 'vitest';
import { lintDatabase } from './__fixtures__/lint-database.js';

const ID = 'no-primary-key';
const { lint } = lintDatabase(ID);

describe(ID, () => {
  it('reports a table without a primary key, in any schema', async () => {
    const findings = await lint('CREATE SCHEMA private; CREATE TABLE private.audit (at timestamptz, what text);');
    expect(findings).toEqual([
      {
        rule: ID,
        severity: 'warning',
        object: { kind: 'table', key: 'private.audit' },
        message: 'table private.audit has no primary key',
        hint: 'ALTER TABLE private.audit ADD PRIMARY KEY (...); (an existing unique, not-null column such as id, or a new id bigint GENERATED ALWAYS AS IDENTITY)',
      },
    ]);
  });

  it('reports a table with only a unique constraint, and a partitioned table once (not its partitions)', async () => {
    const findings = await lint(`
      CREATE TABLE public.codes (code text NOT NULL UNIQUE);
      CREATE TABLE public.events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`);
    expect(findings.map((finding) => finding.object.key)).toEqual(['public.codes', 'public.events']);
  });

  it('stays clean: a primary key declared inline, added later, or on a partitioned parent; views', async () => {
    expect(
      await lint(`
        CREATE TABLE public.a (id int PRIMARY KEY);
        CREATE TABLE public.b (id int NOT NULL);
        ALTER TABLE public.b ADD CONSTRAINT b_pkey PRIMARY KEY (id);
        CREATE TABLE public.events (id bigint, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
        CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE VIEW public.v AS SELECT 1 AS one;`),
    ).toEqual([]);
  });
});
