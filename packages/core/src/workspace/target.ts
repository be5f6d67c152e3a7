import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../config/load.js';
import type { EnvironmentConfig, PgwardenConfig } from '../config/types.js';

export interface DatabaseTarget {
  envName: string;
  environment: EnvironmentConfig;
  /** A server URL, or undefined for the embedded database. */
  url?: string;
  /** Data directory of the embedded database (absolute). */
  embeddedDir: string;
}

/**
 * Which database a command talks to: --database-url wins, then the environment's URL variable;
 * an environment without one is the embedded PGlite database.
 */
export function resolveTarget(
  config: PgwardenConfig,
  options: { env?: string; databaseUrl?: string },
  variables: NodeJS.ProcessEnv = process.env,
): DatabaseTarget {
  const envName = options.env ?? config.defaultEnv;
  const environment = config.environments[envName];
  if (!environment) {
    const known = Object.keys(config.environments).join(', ');
    throw new ConfigError(`unknown environment "${envName}" (configured: ${known})`, config.configPath, 'environments');
  }
  let url = options.databaseUrl;
  if (!url && environment.urlEnv) {
    url = variables[environment.urlEnv];
    if (!url) {
      throw new ConfigError(
        `environment "${envName}" reads its database URL from ${environment.urlEnv}, which is not set (or pass --database-url)`,
        config.configPath,
        `environments.${envName}.urlEnv`,
      );
    }
  }
  const embeddedDir = resolve(config.root, config.embeddedDir);
  if (!url) assertInsideWorkspace(config, embeddedDir);
  return { envName, environment, url, embeddedDir };
}

/** The embedded database is the workspace's own: never created or opened outside it (e.g. under /etc). */
function assertInsideWorkspace(config: PgwardenConfig, embeddedDir: string): void {
  const rel = relative(config.root, embeddedDir);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new ConfigError(
      `embeddedDir "${config.embeddedDir}" is ${rel === '' ? 'the workspace root itself' : `outside the workspace (${embeddedDir})`}: use a folder inside it, such as .pgwarden/local`,
      config.configPath,
      'embeddedDir',
    );
  }
}
