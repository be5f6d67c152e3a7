import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../config/load.js';
import { databaseUrlProblem } from '../db/connection-settings.js';
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
  options: { env?: string; databaseUrl?: string; databaseUrlSource?: string },
  variables: NodeJS.ProcessEnv = process.env,
): DatabaseTarget {
  /** Where `databaseUrl` came from, as messages name it: the CLI option, or a caller's own (Nx executor options). */
  const urlSource = options.databaseUrlSource ?? '--database-url';
  const envName = options.env ?? config.defaultEnv;
  const environment = config.environments[envName];
  if (!environment) {
    const known = Object.keys(config.environments).join(', ');
    throw new ConfigError(`unknown environment "${envName}" (configured: ${known})`, config.configPath, 'environments');
  }
  let url = options.databaseUrl;
  if (url !== undefined && url.trim() === '') {
    // An unset CI variable: never fall back to the embedded database (or the environment's URL).
    throw new ConfigError(`${urlSource} is empty (an unset variable?): pass a postgres:// URL, or leave ${urlSource} out to use the environment's own`);
  }
  if (url !== undefined) assertUsableUrl(url, urlSource);
  if (url !== undefined && options.env === undefined) assertNotAnotherEnvironment(config, url, variables);
  if (!url && environment.urlEnv) {
    url = variables[environment.urlEnv];
    if (!url) {
      throw new ConfigError(
        `environment "${envName}" reads its database URL from ${environment.urlEnv}, which is not set: set ${environment.urlEnv} (or pass --database-url)`,
        config.configPath,
        `environments.${envName}.urlEnv`,
      );
    }
    assertUsableUrl(url, `${environment.urlEnv} (the urlEnv of environment "${envName}")`);
  }
  const embeddedDir = resolve(config.root, config.embeddedDir);
  if (!url) assertInsideWorkspace(config, embeddedDir);
  return { envName, environment, url, embeddedDir };
}

/** A URL that cannot be parsed is a configuration error naming where it came from, never echoing it (it may hold a password). */
function assertUsableUrl(url: string, source: string): void {
  const problem = databaseUrlProblem(url);
  if (problem) throw new ConfigError(`the database URL in ${source} ${problem}`);
}

/**
 * The target decides the gates: a bare --database-url is checked with the default environment's
 * gates, so it must not be the database of another configured environment (say production,
 * whose approvals and promotion order would then be skipped). Compared by host, port and database.
 */
function assertNotAnotherEnvironment(config: PgwardenConfig, url: string, variables: NodeJS.ProcessEnv): void {
  const wanted = databaseIdentity(url);
  if (!wanted) return;
  for (const [name, environment] of Object.entries(config.environments)) {
    if (name === config.defaultEnv || !environment.urlEnv) continue;
    const theirs = variables[environment.urlEnv];
    if (theirs && databaseIdentity(theirs) === wanted) {
      throw new ConfigError(
        `--database-url points at the database of environment "${name}" (${environment.urlEnv}): pass --env ${name} so that its gates apply`,
      );
    }
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** `host:port/database` of a postgres URL (loopback names folded together), or undefined when it does not parse. */
export function databaseIdentity(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = decodeURIComponent(parsed.hostname || parsed.searchParams.get('host') || 'localhost').toLowerCase();
  const port = parsed.port || parsed.searchParams.get('port') || '5432';
  // Postgres connects to the database named after the user when the URL names none.
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
  return `${LOOPBACK.has(host) ? 'localhost' : host}:${port}/${database}`;
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
