export { generateSupabaseTypes, type SupabaseFormatOptions } from './supabase.js';
export { generateJsonSchemas, renderJson, JSON_SCHEMA_DIALECT, type JsonSchemaFile } from './json-schema.js';
export { generateZod } from './zod.js';
export { tableModels, type TableModel, type ColumnModel, type ValueType } from './table-model.js';
export { traceViewSources, type ViewSources } from './view-sources.js';
export { checkOverlays, loadOverlays, overlayAnnotations, parseOverlay, resolveOverlayTables, type Overlay, type OverlayFinding, type TableAnnotations } from './overlays.js';
export { outputFingerprint, pgwardenVersion, readFingerprint, readFingerprintInputs } from './fingerprint.js';
export {
  checkTypes,
  checkTypesFreshness,
  generateTypes,
  MANIFEST_FILE,
  nodeFileSystem,
  resolveTypesOutputs,
  type FreshnessResult,
  type GenerateTypesOptions,
  type TypesFileResult,
  type TypesFileSystem,
  type TypesResult,
} from './generate.js';
export { loadTypesSnapshot, runTypes, TypesSourceError, type TypesSnapshot } from './source.js';
