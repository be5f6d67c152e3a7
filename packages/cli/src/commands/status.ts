import { statusNeedsAttention, statusReport, targetStatus } from '@pgwarden/core/workspace/index';
import { parseCommand, type CommandSpec } from '../command.js';
import { DATABASE_OPTIONS, prepareDatabaseCommand } from './shared.js';

export const spec: CommandSpec = {
  usage: ['pgwarden status [--env NAME] [--database-url URL] [--json]'],
  about: `Lists every migration: applied (when, by whom), pending, failed, tampered (the applied SQL
changed), missing-file, running (a runner is at work), interrupted (a no-transaction run
that stopped midway), unreadable (the file cannot be read, listed with the reason and never
the content); and its approvals against what the environment requires. Never creates the
embedded database.`,
  options: { ...DATABASE_OPTIONS, json: { type: 'boolean', description: 'the rows as JSON' } },
  notes: 'Exits 1 when any migration is tampered, failed, interrupted, unreadable or missing its file.',
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const { config, target, history } = await prepareDatabaseCommand(args.values);
  const { label, note, rows } = await targetStatus(target, history, config);
  console.log(args.values.json ? JSON.stringify(rows, null, 2) : statusReport(rows, label, target.envName, note));
  // Why a file could not be read also goes to stderr, whole (the table shows its first line).
  if (!args.values.json) for (const row of rows) if (row.state === 'unreadable') console.error(`pgwarden: ${row.relPath} ${row.error ?? 'cannot be read'}`);
  return statusNeedsAttention(rows) ? 1 : 0;
}
