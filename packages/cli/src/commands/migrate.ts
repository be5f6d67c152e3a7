import type { MigrateEvent } from '@pgwarden/core/runner/index';
import { migrateEventLine, migrateResultLines, migrateTarget, type ReportLine } from '@pgwarden/core/workspace/index';
import { parseCommand, UsageError, type CommandSpec } from '../command.js';
import { toolVersion } from '../main.js';
import { DATABASE_OPTIONS, prepareDatabaseCommand } from './shared.js';

export const spec: CommandSpec = {
  usage: ['pgwarden migrate [options]'],
  about: `Applies pending migrations in version order: one transaction per file (or statement by
statement for "-- pgwarden:no-transaction" files), under an advisory lock, with lock and
statement timeouts, the VERIFY query, and the history row written in the same transaction.
Refuses tampered history, lint errors, missing approvals and skipped promotion steps.`,
  options: {
    ...DATABASE_OPTIONS,
    'dry-run': { type: 'boolean', description: 'show what would run; change nothing' },
    sql: { type: 'boolean', description: 'with --dry-run: also print the SQL each file would run' },
    to: {
      type: 'string',
      value: 'MIGRATION',
      description: 'stop after this version (YYYY-MM-DD_NN: every file of it), or after the one\nfile named by its file name (YYYY-MM-DD_NN_slug) or path',
    },
    'allow-out-of-order': { type: 'boolean', description: 'apply a pending migration older than the newest applied one' },
    'no-finalize': {
      type: 'boolean',
      description: 'do not write execution records into the headers (only environments that\nrecord write them: production, or "record": true; never the embedded one)',
    },
    preset: {
      type: 'string',
      value: 'supabase|none',
      description:
        "what the platform provides before the first migration (default: the\nconfig's \"preset\", supabase): created only where it is missing, e.g. on a\nplain Postgres standing in for Supabase; a real Supabase already has it",
    },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const { config, target, history } = await prepareDatabaseCommand(args.values);
  for (const file of history.unreadable) console.error(`pgwarden: ${file.relPath}: ${file.message}`);
  if (history.unreadable.length > 0) return 1;

  const preset = (args.values.preset as string | undefined) ?? config.preset;
  if (preset !== 'supabase' && preset !== 'none') throw new UsageError(`--preset ${preset}: expected supabase or none`);

  const dryRun = Boolean(args.values['dry-run']);
  if (args.values.sql && !dryRun) throw new UsageError('--sql shows what a dry run would execute: use it with --dry-run');
  const result = await migrateTarget({
    config,
    target,
    migrations: history.migrations,
    preset,
    dryRun,
    to: args.values.to as string | undefined,
    allowOutOfOrder: Boolean(args.values['allow-out-of-order']),
    finalize: !args.values['no-finalize'],
    toolVersion: await toolVersion(),
    onOpen: (label) => console.log(`pgwarden: migrating ${label} (env ${target.envName})${dryRun ? ', dry run' : ''}`),
    onProgress: printProgress,
  });
  // What runs: the body, or what the runner sends instead (a file's own BEGIN/COMMIT neutralised).
  const sent = new Map(history.migrations.map((m) => [m.relPath, m.body]));
  for (const planned of result.planned) if (planned.sql !== undefined) sent.set(planned.relPath, planned.sql);
  for (const line of migrateResultLines(result, args.values.sql ? { sqlOf: (relPath) => sent.get(relPath) } : {})) print(line);
  return result.ok ? 0 : 1;
}


function printProgress(event: MigrateEvent): void {
  const line = migrateEventLine(event);
  if (line) print(line);
}

function print(line: ReportLine): void {
  if (line.stream === 'err') console.error(line.text);
  else console.log(line.text);
}
