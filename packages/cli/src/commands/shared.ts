import { loadConfig, type PgwardenConfig } from '@pgwarden/core/config/index';
import { localDate } from '@pgwarden/core/runner/index';
import { loadHistory, requireMigrationsFolder, resolveTarget, type DatabaseTarget, type LoadedHistory } from '@pgwarden/core/workspace/index';
import { commandHelp, UsageError, type CommandSpec, type OptionSpecs } from '../command.js';

// Shared with the Nx executors: one implementation in core.
export { formatDuration, openTarget, table } from '@pgwarden/core/workspace/index';
export { currentUser } from '@pgwarden/core/runner/index';

/** Options every database command takes. */
export const DATABASE_OPTIONS = {
  env: { type: 'string', value: 'NAME', description: 'environment from pgwarden.config.json (default: defaultEnv)' },
  'database-url': {
    type: 'string',
    value: 'URL',
    description: "a server URL (default: the environment's variable, else the embedded database);\nrefused without --env when it is another environment's database",
  },
  config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' },
} satisfies OptionSpecs;

export interface DatabaseCommandContext {
  config: PgwardenConfig;
  target: DatabaseTarget;
  history: LoadedHistory;
}

export async function prepareDatabaseCommand(values: { env?: unknown; 'database-url'?: unknown; config?: unknown }): Promise<DatabaseCommandContext> {
  const config = loadConfig({ configPath: values.config as string | undefined });
  requireMigrationsFolder(config);
  const target = resolveTarget(config, { env: values.env as string | undefined, databaseUrl: values['database-url'] as string | undefined });
  const history = await loadHistory(config);
  return { config, target, history };
}

/** The local calendar date, as the runner's execution records use. */
export function today(): string {
  return localDate();
}

export function requireOne(positionals: string[], what: string, spec: CommandSpec): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what}\n\n${commandHelp(spec)}`);
  return positionals[0];
}
