import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults.js';
import { applyConfig, ConfigError } from './load.js';

const apply = (types: unknown) => applyConfig(defaultConfig('/ws'), { types }, '/ws/pgwarden.config.json').types;
const error = (types: unknown) => {
  try {
    apply(types);
  } catch (e) {
    if (e instanceof ConfigError) return { key: e.key, message: e.message };
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('types configuration', () => {
  it('outputs: path, format, schemas (default public) and the supabase options', () => {
    const types = apply({
      outputs: [
        { path: 'packages/db-types/src/database.ts', format: 'supabase', schemas: ['public', 'billing'], checkUnions: true, postgrestVersion: '13' },
        { path: 'packages/db-types/schemas/', format: 'json-schema' },
      ],
      overlays: 'packages/db-types/overlays',
    });
    expect(types.outputs).toEqual([
      { path: 'packages/db-types/src/database.ts', format: 'supabase', schemas: ['public', 'billing'], checkUnions: true, postgrestVersion: '13' },
      { path: 'packages/db-types/schemas/', format: 'json-schema', schemas: ['public'] },
    ]);
    expect(types.overlays).toBe('packages/db-types/overlays');
    expect(types.outDir).toBe('packages/db-types/src/generated');
  });

  it('the older keys still work without outputs', () => {
    expect(apply({ outDir: 'libs/types', schemas: ['api'] })).toEqual({ outDir: 'libs/types', schemas: ['api'] });
  });

  it('each mistake names its key', () => {
    expect(error({ outputs: {} }).key).toBe('types.outputs');
    expect(error({ outputs: [] }).message).toContain('must be a non-empty array'); // nothing to generate would check nothing
    expect(error({ outputs: [{ path: 'a.ts', format: 'typescript' }] })).toEqual({
      key: 'types.outputs[0].format',
      message: '/ws/pgwarden.config.json: "types.outputs[0].format" must be one of "supabase", "json-schema", "zod"',
    });
    expect(error({ outputs: [{ format: 'zod' }] }).key).toBe('types.outputs[0].path');
    expect(error({ outputs: [{ path: 'a.ts' }] }).key).toBe('types.outputs[0].format');
    expect(error({ outputs: [{ path: 'a.ts', format: 'zod', schemas: [] }] }).key).toBe('types.outputs[0].schemas');
    expect(error({ outputs: [{ path: 'a.ts', format: 'zod', jsdoc: true }] })).toMatchObject({ key: 'types.outputs[0].jsdoc', message: expect.stringContaining('applies to the "supabase" format only') });
    expect(error({ outputs: [{ path: 'a.ts', format: 'supabase', jsdoc: 'yes' }] }).key).toBe('types.outputs[0].jsdoc');
    expect(error({ outputs: [{ path: 'a.ts', format: 'supabase', colour: 1 }] }).key).toBe('types.outputs[0].colour');
    expect(error({ outputs: [{ path: 'x/', format: 'json-schema' }, { path: 'x', format: 'zod' }] })).toMatchObject({ key: 'types.outputs', message: expect.stringContaining('lists the path "x" twice') });
    expect(error({ overlays: '' }).key).toBe('types.overlays');
    expect(error({ outdir: 'x' }).key).toBe('types.outdir');
  });
});
