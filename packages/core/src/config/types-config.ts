/** The `types` section of pgwarden.config.json (mirrors pgwarden.schema.json). */
import type { PgwardenConfig, TypesFormat, TypesOutputConfig } from './types.js';

type Fail = (key: string, message: string) => never;
type TypesConfig = PgwardenConfig['types'];

const FORMATS: readonly TypesFormat[] = ['supabase', 'json-schema', 'zod'];
const SUPABASE_FLAGS = ['stringScalars', 'checkUnions', 'viewNullability', 'jsdoc'] as const;

export function parseTypesConfig(raw: unknown, base: TypesConfig, fail: Fail): TypesConfig {
  const types: TypesConfig = { ...base };
  for (const [key, value] of Object.entries(object(raw, 'types', fail))) {
    if (key === 'outDir') types.outDir = string(value, 'types.outDir', fail);
    else if (key === 'schemas') types.schemas = strings(value, 'types.schemas', fail);
    else if (key === 'overlays') types.overlays = string(value, 'types.overlays', fail);
    else if (key === 'outputs') {
      if (!Array.isArray(value) || value.length === 0) fail('types.outputs', 'must be a non-empty array of { path, format, schemas }');
      types.outputs = (value as unknown[]).map((entry, index) => parseOutput(entry, `types.outputs[${index}]`, fail));
      const paths = types.outputs.map((output) => output.path.replace(/\/+$/, ''));
      const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
      if (duplicate) fail('types.outputs', `lists the path "${duplicate}" twice`);
    } else fail(`types.${key}`, 'is not a known setting (outDir, schemas, outputs, overlays)');
  }
  return types;
}

function parseOutput(raw: unknown, at: string, fail: Fail): TypesOutputConfig {
  const entry = object(raw, at, fail);
  const output: Partial<TypesOutputConfig> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'path') output.path = string(value, `${at}.path`, fail);
    else if (key === 'format') {
      if (!FORMATS.includes(value as TypesFormat)) fail(`${at}.format`, `must be one of ${FORMATS.map((f) => `"${f}"`).join(', ')}`);
      output.format = value as TypesFormat;
    } else if (key === 'schemas') output.schemas = strings(value, `${at}.schemas`, fail);
    else if (key === 'postgrestVersion') output.postgrestVersion = string(value, `${at}.postgrestVersion`, fail);
    else if ((SUPABASE_FLAGS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') fail(`${at}.${key}`, 'must be true or false');
      output[key as (typeof SUPABASE_FLAGS)[number]] = value as boolean;
    } else fail(`${at}.${key}`, `is not a known setting (path, format, schemas, postgrestVersion, ${SUPABASE_FLAGS.join(', ')})`);
  }
  if (!output.path) fail(`${at}.path`, 'is required');
  if (!output.format) fail(`${at}.format`, 'is required');
  if (output.format !== 'supabase') {
    for (const key of [...SUPABASE_FLAGS, 'postgrestVersion'] as const) {
      if (output[key] !== undefined) fail(`${at}.${key}`, 'applies to the "supabase" format only');
    }
  }
  return { schemas: ['public'], ...output } as TypesOutputConfig;
}

function object(value: unknown, key: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(key, 'must be an object');
  return value as Record<string, unknown>;
}

function string(value: unknown, key: string, fail: Fail): string {
  if (typeof value !== 'string' || value.length === 0) fail(key, 'must be a non-empty string');
  return value as string;
}

function strings(value: unknown, key: string, fail: Fail): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string' || item.length === 0)) {
    fail(key, 'must be a non-empty array of non-empty strings');
  }
  return value as string[];
}
