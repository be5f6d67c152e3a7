/** The `types` section of pgwarden.config.json, once the schema admits it: what the schema cannot say, and the merge. */
import type { PgwardenConfig, TypesOutputConfig } from './types.js';

type Fail = (key: string, message: string) => never;
type TypesConfig = PgwardenConfig['types'];

const SUPABASE_ONLY = ['stringScalars', 'checkUnions', 'viewNullability', 'jsdoc', 'postgrestVersion'] as const;

export function mergeTypesConfig(base: TypesConfig, raw: Partial<TypesConfig> | undefined, fail: Fail): TypesConfig {
  const types: TypesConfig = { ...base, ...raw };
  if (!raw?.outputs) return types;
  types.outputs = raw.outputs.map((output, index) => {
    if (output.format !== 'supabase') {
      for (const key of SUPABASE_ONLY) if (output[key] !== undefined) fail(`types.outputs[${index}].${key}`, 'applies to the "supabase" format only');
    }
    return { ...output, schemas: output.schemas ?? ['public'] } as TypesOutputConfig;
  });
  const paths = types.outputs.map((output) => output.path.replace(/\/+$/, ''));
  const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
  if (duplicate) fail('types.outputs', `lists the path "${duplicate}" twice`);
  return types;
}
