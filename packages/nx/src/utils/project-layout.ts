import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { CONFIG_FILE_NAME, defaultConfig } from '@pgwarden/core/config/index';

export { CONFIG_FILE_NAME };

/** What the Nx plugin needs from a pgwarden.config.json, paths relative to the workspace root (posix). */
export interface ProjectLayout {
  /** The config's folder: the project root ('.' at the workspace root). */
  root: string;
  configFile: string;
  migrationsDir: string;
  schemaDir: string;
  /** Files or folders the `types` command writes (types.outDir, types.outputs[].path). */
  typesOutputs: string[];
  /** `types.overlays`: the curated per-table JSON merged into the generated schemas (a types input). */
  typesOverlays?: string;
  /** `shadow.urlEnv`: the variable naming the server the shadow is built on (its value decides what the shadow can verify). */
  shadowUrlEnv?: string;
}

/**
 * Reads the layout leniently: graph construction must not fail on a config the CLI would reject
 * (the lint target reports that, with its one-line error); unknown keys added by newer versions,
 * e.g. types.outputs, are read when present.
 */
export function readProjectLayout(workspaceRoot: string, configFile: string): ProjectLayout {
  const root = posix.normalize(dirname(configFile).split('\\').join('/'));
  const defaults = defaultConfig(root);
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(workspaceRoot, configFile), 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    // Invalid JSON: defaults here, the lint target fails with the parse error.
  }
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value.length > 0 ? value : fallback);
  const types = (raw.types && typeof raw.types === 'object' ? raw.types : {}) as { outDir?: unknown; outputs?: unknown; overlays?: unknown };
  const shadow = (raw.shadow && typeof raw.shadow === 'object' ? raw.shadow : {}) as { urlEnv?: unknown };
  const outputs = Array.isArray(types.outputs)
    ? types.outputs.flatMap((output) => (output && typeof output === 'object' && typeof (output as { path?: unknown }).path === 'string' ? [(output as { path: string }).path] : []))
    : [];
  const inRoot = (path: string) => posix.normalize(posix.join(root, path.split('\\').join('/')));
  return {
    root,
    configFile: posix.join(root, CONFIG_FILE_NAME),
    migrationsDir: inRoot(text(raw.migrationsDir, defaults.migrationsDir)),
    schemaDir: inRoot(text(raw.schemaDir, defaults.schemaDir)),
    typesOutputs: [...(typeof types.outDir === 'string' || outputs.length === 0 ? [inRoot(text(types.outDir, defaults.types.outDir))] : []), ...outputs.map(inRoot)],
    ...(typeof types.overlays === 'string' && types.overlays ? { typesOverlays: inRoot(types.overlays) } : {}),
    ...(typeof shadow.urlEnv === 'string' && shadow.urlEnv ? { shadowUrlEnv: shadow.urlEnv } : {}),
  };
}
