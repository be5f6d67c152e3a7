/* Build options from the configuration, and bad input named in one line (no database needed). */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import { buildShadow, shadowOptionsFromConfig } from './build.js';
import { listSchemaFiles, ShadowInputError } from './schema-files.js';

const root = mkdtempSync(join(tmpdir(), 'pgwarden-shadow-options-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('shadowOptionsFromConfig', () => {
  it('PGlite with the top-level preset by default', () => {
    expect(shadowOptionsFromConfig(defaultConfig('/repo'), {})).toEqual({ root: '/repo', schemaDir: 'current_schema', preset: 'supabase' });
    expect(shadowOptionsFromConfig({ ...defaultConfig('/repo'), preset: 'none' }, {}).preset).toBe('none');
  });

  it('shadow.preset overrides the top-level preset; shadow.url wins over shadow.urlEnv', () => {
    const config = { ...defaultConfig('/repo'), shadow: { preset: 'none' as const, url: 'postgres://a@h/db', urlEnv: 'SHADOW_URL' } };
    expect(shadowOptionsFromConfig(config, { SHADOW_URL: 'postgres://b@h/db' })).toMatchObject({ preset: 'none', url: 'postgres://a@h/db' });
  });

  it('shadow.urlEnv reads the variable; unset or empty means PGlite', () => {
    const config = { ...defaultConfig('/repo'), shadow: { urlEnv: 'SHADOW_URL' } };
    expect(shadowOptionsFromConfig(config, { SHADOW_URL: 'postgres://b@h/db' }).url).toBe('postgres://b@h/db');
    expect(shadowOptionsFromConfig(config, { SHADOW_URL: '' }).url).toBeUndefined();
    expect(shadowOptionsFromConfig(config, {}).url).toBeUndefined();
  });
});

describe('schema files', () => {
  it("are the folder's *.sql in code-point order (not locale order), sub-folders and other files ignored", () => {
    const dir = join(root, 'ordered');
    mkdirSync(join(dir, 'nested.sql'), { recursive: true });
    for (const name of ['10_b.sql', '02_a.sql', 'B_upper.sql', 'a_lower.sql', 'notes.md']) writeFileSync(join(dir, name), '');
    expect(listSchemaFiles(root, 'ordered').map((path) => path.slice(dir.length + 1))).toEqual(['02_a.sql', '10_b.sql', 'B_upper.sql', 'a_lower.sql']);
  });

  it('a missing schema folder is one line naming it and the setting', async () => {
    await expect(buildShadow({ root, schemaDir: 'no_such_schema' })).rejects.toThrow(ShadowInputError);
    await expect(buildShadow({ root, schemaDir: 'no_such_schema' })).rejects.toThrow(
      'schema folder no_such_schema does not exist: set "schemaDir" in pgwarden.config.json',
    );
  });

  it('an invalid shadow URL is refused before anything is created', async () => {
    mkdirSync(join(root, 'current_schema'), { recursive: true });
    await expect(buildShadow({ root, url: 'mysql://localhost/x' })).rejects.toThrow('invalid shadow.url: it must start with postgres:// or postgresql://');
  });
});

describe('in-memory sources', () => {
  it('build without touching the disk and name the files as given', async () => {
    const shadow = await buildShadow({
      root,
      preset: 'none',
      cache: false,
      sources: [
        { relPath: 'current_schema/01_a.sql', text: 'CREATE VIEW public.v AS SELECT id FROM public.t;\n' },
        { relPath: 'current_schema/02_b.sql', text: 'CREATE TABLE public.t (id integer);\n' },
      ],
    });
    try {
      expect(shadow.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual(['current_schema/01_a.sql:1 shadow-defined-later']);
      expect(shadow.sourceMap.map((entry) => `${entry.kind} ${entry.key} ${entry.file}:${entry.line}`)).toEqual([
        'table public.t current_schema/02_b.sql:1',
        'column public.t.id current_schema/02_b.sql:1',
        'view public.v current_schema/01_a.sql:1',
      ]);
    } finally {
      await shadow.close();
    }
  }, 300_000);
});
