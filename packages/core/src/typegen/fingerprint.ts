/**
 * Fingerprints of the inputs of generated files: the schema files, the output's configuration,
 * the overlays it merges and the pgwarden version. Stored in each generated file's header, so
 * freshness is a hash comparison: no database, no generation, milliseconds.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareCodePoints } from '../catalog/index.js';
import type { PgwardenConfig, TypesOutputConfig } from '../config/types.js';

export const FINGERPRINT_PREFIX = 'pgwarden-fingerprint: ';
const FINGERPRINT = /pgwarden-fingerprint: (sha256:[0-9a-f]{64})/;

let cachedVersion: string | undefined;

/** The version of @pgwarden/core, part of every fingerprint (a new generator may print differently). */
export function pgwardenVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

/** Every file under `dir` with the given extension, as sorted `/`-separated paths relative to `root`. */
export function listFiles(dir: string, root: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(extension)) found.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return found.sort(compareCodePoints);
}

export interface FingerprintInputs {
  /** Schema and overlay files: relative path -> content hash, computed once per run. */
  fileHashes: Map<string, string>;
  schemaFiles: string[];
  overlayFiles: string[];
}

/** Reads and hashes the schema files and overlay files once for all outputs. */
export function readFingerprintInputs(config: PgwardenConfig): FingerprintInputs {
  const schemaFiles = listFiles(path.resolve(config.root, config.schemaDir), config.root, '.sql');
  const overlayFiles = config.types.overlays ? listFiles(path.resolve(config.root, config.types.overlays), config.root, '.json') : [];
  const fileHashes = new Map<string, string>();
  for (const file of [...schemaFiles, ...overlayFiles]) {
    // Line endings normalised: a checkout with CRLF is the same schema.
    const text = readFileSync(path.resolve(config.root, file), 'utf8').replace(/\r\n/g, '\n');
    fileHashes.set(file, createHash('sha256').update(text).digest('hex'));
  }
  return { fileHashes, schemaFiles, overlayFiles };
}

/** The fingerprint of one output. `source` names where the catalog came from (`shadow`, or `env:NAME`). */
export function outputFingerprint(output: TypesOutputConfig, config: PgwardenConfig, inputs: FingerprintInputs, source = 'shadow'): string {
  const hash = createHash('sha256');
  const line = (text: string) => hash.update(`${text}\n`);
  line(`pgwarden ${pgwardenVersion()}`);
  line(`source ${source}`);
  line(`preset ${config.preset}`);
  line(`output ${canonicalJson(output)}`);
  for (const file of inputs.schemaFiles) line(`schema ${file} ${inputs.fileHashes.get(file)}`);
  if (output.format !== 'supabase') for (const file of inputs.overlayFiles) line(`overlay ${file} ${inputs.fileHashes.get(file)}`);
  return `sha256:${hash.digest('hex')}`;
}

/** The fingerprint recorded in a generated file's text, if any. */
export function readFingerprint(text: string): string | undefined {
  return FINGERPRINT.exec(text.slice(0, 2000))?.[1];
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
