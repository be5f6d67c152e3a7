/**
 * Where `pgwarden types` reads the catalog from: the shadow built from `current_schema/`
 * (default, no server needed) or a live environment's database.
 */
import type { CatalogSnapshot } from '../catalog/index.js';
import { DEFAULT_EXCLUDED_SCHEMAS, introspectCatalog, PRESET_SCHEMAS } from '../catalog/introspect.js';
import type { PgwardenConfig } from '../config/types.js';
import { openDatabase } from '../db/index.js';
import { buildShadow, shadowOptionsFromConfig } from '../shadow/index.js';
import { resolveTarget } from '../workspace/index.js';
import { checkTypes, generateTypes, resolveTypesOutputs, type TypesFileSystem, type TypesResult } from './generate.js';
import { UserFacingError } from '../user-facing-error.js';

/** A failure the CLI prints as one line (exit 1). */
export class TypesSourceError extends UserFacingError {
  override name = 'TypesSourceError';
  readonly exitCode = 1;
}

export interface TypesSnapshot {
  snapshot: CatalogSnapshot;
  /** `shadow` or `env:NAME`, recorded in the outputs' fingerprints. */
  source: string;
}

export async function loadTypesSnapshot(config: PgwardenConfig, options: { env?: string } = {}): Promise<TypesSnapshot> {
  const preset = config.shadow?.preset ?? config.preset;
  const exclude = [...DEFAULT_EXCLUDED_SCHEMAS, ...PRESET_SCHEMAS[preset]];
  let snapshot: CatalogSnapshot;
  let source = 'shadow';
  if (options.env) {
    const target = resolveTarget(config, { env: options.env });
    const database = await openDatabase(target.url ? { url: target.url } : { embeddedDir: target.embeddedDir });
    try {
      const session = await database.session();
      try {
        snapshot = await introspectCatalog(session, { excludeSchemas: exclude });
      } finally {
        await session.close();
      }
    } finally {
      await database.close();
    }
    source = `env:${options.env}`;
  } else {
    const shadow = await buildShadow(shadowOptionsFromConfig(config));
    try {
      // Types from a schema that does not build would describe something no database has.
      const failure = shadow.findings.find((finding) => finding.severity === 'error' && !finding.workedAround);
      if (failure) {
        throw new TypesSourceError(`${failure.file}:${failure.line}: ${failure.message} (${config.schemaDir}/ does not build; fix it, then run pgwarden types again)`);
      }
      const session = await shadow.database.session();
      try {
        snapshot = await introspectCatalog(session, { excludeSchemas: exclude });
      } finally {
        await session.close();
      }
    } finally {
      await shadow.close();
    }
  }
  const present = new Set(snapshot.schemas.map((s) => s.name));
  resolveTypesOutputs(config).forEach((output, index) => {
    const missing = output.schemas.find((schema) => !present.has(schema));
    if (missing) {
      throw new TypesSourceError(
        `types.outputs[${index}] (${output.path}) names schema "${missing}", which ${options.env ? `the ${options.env} database` : `${config.schemaDir}/`} does not have`,
      );
    }
  });
  return { snapshot, source };
}

/**
 * One call for front ends (CLI, the Nx sync generator): read the catalog (shadow of the schema
 * folder, or `env`), then generate (or, with `check`, compare without writing) every output.
 */
export async function runTypes(
  config: PgwardenConfig,
  options: { check?: boolean; env?: string; fs?: TypesFileSystem } = {},
): Promise<TypesResult> {
  const { snapshot, source } = await loadTypesSnapshot(config, { env: options.env });
  const run = options.check ? checkTypes : generateTypes;
  return run({ config, snapshot, source, ...(options.fs ? { fs: options.fs } : {}) });
}
