import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/load.js';
import type { PgwardenConfig } from '../config/types.js';

/**
 * The absolute migrations folder, which must exist: a command run from the wrong folder (or with a
 * config whose migrationsDir is wrong) is a configuration error naming both, never an empty,
 * "clean" run over nothing.
 */
export function requireMigrationsFolder(config: PgwardenConfig): string {
  const dir = resolve(config.root, config.migrationsDir);
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // missing: reported below
  }
  if (!isDirectory) {
    const source = config.configPath
      ? `config ${config.configPath}`
      : `no pgwarden.config.json found from ${config.root} upwards, defaults used`;
    throw new ConfigError(
      `no migrations folder at ${dir} (migrationsDir "${config.migrationsDir}"; ${source}). Run pgwarden from the project folder, pass --config, or create the folder`,
    );
  }
  return dir;
}
