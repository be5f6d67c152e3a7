/** Reading current_schema/ the one way lint sees it: the folder's `.sql` files in name order. */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PgwardenConfig } from '../config/types.js';
import { readSourceFile, toRelPath, type SourceFileResult } from '../migration/index.js';

export interface SchemaFolderFile {
  /** Workspace-relative path. */
  relPath: string;
  /** Its text, or why it cannot be read (never its content). */
  source: SourceFileResult;
}

/** Each `.sql` file of current_schema/ in name order, read; undefined when there is no such folder. */
export function readSchemaFolder(config: PgwardenConfig): SchemaFolderFile[] | undefined {
  const dir = resolve(config.root, config.schemaDir);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.sql'))
      .sort();
  } catch {
    return undefined;
  }
  return names.map((name) => ({ relPath: toRelPath(config.root, join(dir, name)), source: readSourceFile(join(dir, name), { root: config.root }) }));
}
