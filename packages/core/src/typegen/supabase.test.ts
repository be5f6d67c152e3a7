/**
 * The supabase format against the generator it replaces: for the fixture schema, our
 * `Database` and the one @supabase/postgrest-typegen 0.2.2 produces from the same database
 * are mutually assignable, entry by entry, section by section (TypeScript compiler).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspect } from '@supabase/postgrest-typegen/introspection';
import { generateTypescript, sortGeneratorMetadata } from '@supabase/postgrest-typegen/generation';
import { serverAvailable } from '../runner/__fixtures__/test-db.js';
import { createFixtureDatabase, FIXTURE_SCHEMAS, typecheck, type FixtureDatabase } from './__fixtures__/fixture-db.js';
import { generateSupabaseTypes } from './supabase.js';
import { traceViewSources } from './view-sources.js';

const enabled = await serverAvailable('typegen/supabase.test.ts');
const SECTIONS = ['Tables', 'Views', 'Functions', 'Enums', 'CompositeTypes'] as const;

/** One `Check<>` line per schema, section and entry, so a failure names what differs. */
function comparisons(theirs: string, ours: string): string {
  const lines = [
    "import type { Database as Ours } from './ours.js'",
    "import type { Database as Theirs } from './theirs.js'",
    'type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false',
  ];
  const names = (text: string, schema: string, section: string) => {
    // Entry names as both files print them: two-space-indented keys inside the section block.
    const start = text.indexOf(`\n  ${schema}: {`);
    const sectionStart = text.indexOf(`\n    ${section}: {`, start);
    const end = text.indexOf('\n    }', sectionStart);
    return [...text.slice(sectionStart, end).matchAll(/\n {6}("?[\w$]+"?):/g)].map((m) => m[1]!.replace(/"/g, ''));
  };
  for (const schema of FIXTURE_SCHEMAS) {
    for (const section of SECTIONS) {
      lines.push(`export const keys_${schema}_${section}: Mutual<keyof Ours["${schema}"]["${section}"], keyof Theirs["${schema}"]["${section}"]> = true`);
      for (const name of new Set([...names(theirs, schema, section), ...names(ours, schema, section)])) {
        const path = `["${schema}"]["${section}"]["${name}"]`;
        lines.push(`export const ${schema}_${section}_${name}: Mutual<Ours${path}, Theirs${path}> = true`);
      }
    }
  }
  lines.push('export const whole: Mutual<Ours, Theirs> = true');
  return lines.join('\n') + '\n';
}

describe.skipIf(!enabled)('supabase format vs @supabase/postgrest-typegen 0.2.2', () => {
  let fixture: FixtureDatabase;
  let theirs: string;
  let ours: string;

  beforeAll(async () => {
    fixture = await createFixtureDatabase('typegen_supabase');
    const client = await fixture.db.admin();
    const metadata = await introspect(client, { includedSchemas: FIXTURE_SCHEMAS });
    theirs = await generateTypescript(sortGeneratorMetadata(metadata), { detectOneToOneRelationships: true, postgrestVersion: '12' });
    ours = generateSupabaseTypes(fixture.snapshot, await traceViewSources(fixture.snapshot), { schemas: FIXTURE_SCHEMAS });
  });
  afterAll(async () => {
    await fixture?.db.drop();
  });

  it('covers every section the fixture promises', () => {
    for (const needle of ['isOneToOne: true', 'SetofOptions', 'Record<PropertyKey, never>', '?: never', 'CompositeTypes', 'plan_tier', 'user_names']) {
      expect(ours).toContain(needle);
    }
  });

  it('is mutually assignable with postgrest-typegen output, entry by entry', () => {
    const diagnostics = typecheck({ 'theirs.ts': theirs, 'ours.ts': ours, 'compare.ts': comparisons(theirs, ours) });
    expect(diagnostics).toEqual([]);
  });

  it('prints what postgrest-typegen prints, byte for byte, for the fixture', () => {
    expect(ours).toBe(theirs);
  });

  it('a near miss is caught: a changed column type breaks the comparison', () => {
    const broken = ours.replace('title: string\n', 'title: number\n');
    expect(broken).not.toBe(ours);
    const diagnostics = typecheck({ 'theirs.ts': theirs, 'ours.ts': broken, 'compare.ts': comparisons(theirs, broken) });
    expect(diagnostics.some((d) => d.includes('compare.ts') )).toBe(true);
  });

  it('is deterministic and ends with one LF', () => {
    expect(generateSupabaseTypes(fixture.snapshot, new Map(), { schemas: FIXTURE_SCHEMAS })).toBe(
      generateSupabaseTypes(structuredClone(fixture.snapshot), new Map(), { schemas: [...FIXTURE_SCHEMAS].reverse() }),
    );
    expect(ours.endsWith('} as const\n')).toBe(true);
    expect(ours).not.toContain('\r');
  });

  it('improvements sit behind options: each changes only what it names, and the result still compiles', () => {
    const improved = generateSupabaseTypes(fixture.snapshot, new Map(), { schemas: FIXTURE_SCHEMAS, stringScalars: true, checkUnions: true, viewNullability: true, jsdoc: true });
    const row = (text: string, table: string) => text.slice(text.indexOf(`      ${table}: {`), text.indexOf('        Insert: {', text.indexOf(`      ${table}: {`)));
    // default: what postgrest-typegen gives
    expect(row(ours, 'users')).toContain('          during: unknown\n');
    expect(row(ours, 'users')).toContain('          status: string\n');
    expect(ours).not.toContain('/**');
    // stringScalars, checkUnions, jsdoc
    expect(row(improved, 'users')).toContain('          during: string | null\n          email: string\n');
    expect(row(improved, 'users')).toContain('          ip: string | null\n');
    expect(row(improved, 'users')).toContain('          balance: string | null\n');
    expect(row(improved, 'users')).toContain('          status: "active" | "suspended" | "deleted"\n');
    expect(improved).toContain('      /** People who sign in. */\n      users: {');
    expect(improved).toContain('          /** Shown in the header. */\n          display_name: string | null\n');
    // viewNullability: a column selected plainly from a NOT NULL column is non-null; computed ones stay nullable
    const viewSources = new Map([['public.user_names', new Map([['id', { table: 'public.users', column: 'id', direct: true as const }], ['display_name', { table: 'public.users', column: 'display_name', direct: true as const }]])]]);
    const traced = generateSupabaseTypes(fixture.snapshot, viewSources, { schemas: FIXTURE_SCHEMAS, viewNullability: true });
    expect(row(traced, 'user_names')).toContain('          display_name: string | null\n          id: string\n          shout: string | null\n');
    expect(typecheck({ 'improved.ts': improved })).toEqual([]);
  });
});

