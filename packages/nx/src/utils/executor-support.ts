import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { loadConfig, type PgwardenConfig } from '@pgwarden/core/config/index';
import { requireMigrationsFolder, resolveTarget, type DatabaseTarget } from '@pgwarden/core/workspace/index';
import { CONFIG_FILE_NAME } from './project-layout.js';

export interface ExecutorResult {
  success: boolean;
}

/** Options of the executors that talk to a database. */
export interface DatabaseExecutorOptions {
  env?: string;
  databaseUrlEnv?: string;
  databaseUrl?: string;
  config?: string;
}

/** The project's config (its pgwarden.config.json unless `config` names another), with its migrations folder required. */
export function loadProjectConfig(options: { config?: string }, context: ExecutorContext): PgwardenConfig {
  const projectRoot = context.projectsConfigurations.projects[context.projectName ?? '']?.root ?? '.';
  const config = loadConfig({ cwd: context.root, configPath: options.config ?? join(projectRoot, CONFIG_FILE_NAME) });
  requireMigrationsFolder(config);
  return config;
}

/**
 * The target database. A URL is taken from the variable `databaseUrlEnv` names (or the environment's
 * own urlEnv); a literal `databaseUrl` with a password is refused, because Nx prints a task's
 * options on its command line and in its terminal output.
 */
export function databaseTarget(config: PgwardenConfig, options: DatabaseExecutorOptions): DatabaseTarget {
  let databaseUrl = options.databaseUrl;
  let databaseUrlSource = 'the databaseUrl option';
  if (databaseUrl && containsPassword(databaseUrl)) {
    throw new ExecutorUsageError('databaseUrl contains a password, which Nx would print with the task: put the URL in an environment variable and pass databaseUrlEnv=NAME');
  }
  if (options.databaseUrlEnv) {
    databaseUrl = process.env[options.databaseUrlEnv];
    if (!databaseUrl) throw new ExecutorUsageError(`databaseUrlEnv names ${options.databaseUrlEnv}, which is not set`);
    databaseUrlSource = `${options.databaseUrlEnv} (databaseUrlEnv)`;
  }
  return resolveTarget(config, { env: options.env, databaseUrl, databaseUrlSource });
}

function containsPassword(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.password !== '' || parsed.searchParams.has('password');
  } catch {
    return true; // unparseable: cannot prove it holds no secret
  }
}

export class ExecutorUsageError extends Error {
  override name = 'ExecutorUsageError';
  readonly exitCode = 2;
  get userMessage(): string {
    return this.message;
  }
}

/**
 * Runs an executor body: known failures (configuration, usage, database errors with a user message)
 * become one line and `success: false`; anything else is a bug and keeps its stack.
 */
export async function runExecutor(body: () => Promise<boolean>): Promise<ExecutorResult> {
  try {
    return { success: await body() };
  } catch (error) {
    const err = error as { name?: string; message?: string; userMessage?: string };
    if (err?.name === 'ConfigError') console.error(`pgwarden: configuration error: ${err.message}`);
    else if (err?.userMessage) console.error(`pgwarden: ${err.userMessage}`);
    else throw error;
    return { success: false };
  }
}

let version: string | undefined;

/** This package's version, recorded with each execution as the CLI records its own. */
export function pluginVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
