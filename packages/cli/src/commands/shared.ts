import { userInfo } from 'node:os';
import { loadConfig, type PgwardenConfig } from '@pgwarden/core/config/index';
import { openDatabase, type Database } from '@pgwarden/core/db/index';
import { localDate } from '@pgwarden/core/runner/index';
import { loadHistory, resolveTarget, type DatabaseTarget, type LoadedHistory } from '@pgwarden/core/workspace/index';
import { UsageError } from '../command.js';

/** Options every database command takes. */
export const DATABASE_OPTIONS = {
  env: { type: 'string' },
  'database-url': { type: 'string' },
  config: { type: 'string' },
} as const;

export interface DatabaseCommandContext {
  config: PgwardenConfig;
  target: DatabaseTarget;
  history: LoadedHistory;
}

export async function prepareDatabaseCommand(values: { env?: unknown; 'database-url'?: unknown; config?: unknown }): Promise<DatabaseCommandContext> {
  const config = loadConfig({ configPath: values.config as string | undefined });
  const target = resolveTarget(config, { env: values.env as string | undefined, databaseUrl: values['database-url'] as string | undefined });
  const history = await loadHistory(config);
  return { config, target, history };
}

export function openTarget(target: DatabaseTarget): Promise<Database> {
  return openDatabase(target.url ? { url: target.url } : { embeddedDir: target.embeddedDir });
}

export function currentUser(): string {
  try {
    return process.env.PGWARDEN_USER || userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The local calendar date, as the runner's execution records use. */
export function today(): string {
  return localDate();
}

export function requireOne(positionals: string[], what: string, usage: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what}\n\n${usage}`);
  return positionals[0];
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A fixed-width text table; the last column is left unpadded. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd()).join('\n');
}
