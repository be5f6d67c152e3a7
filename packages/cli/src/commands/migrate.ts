import { pendingLintGate } from '@pgwarden/core/lint/index';
import { embeddedDatabaseExists } from '@pgwarden/core/db/index';
import { dryRun, migrate, type MigrateEvent, type MigrateOptions, type MigrateResult } from '@pgwarden/core/runner/index';
import { presetStep } from '@pgwarden/core/shadow/index';
import { parseCommandArgs, UsageError } from '../command.js';
import { toolVersion } from '../main.js';
import { DATABASE_OPTIONS, currentUser, formatDuration, openTarget, prepareDatabaseCommand } from './shared.js';

const USAGE = `Usage: pgwarden migrate [options]

Applies pending migrations in version order: one transaction per file (or statement by
statement for "-- pgwarden:no-transaction" files), under an advisory lock, with lock and
statement timeouts, the VERIFY query, and the history row written in the same transaction.
Refuses tampered history, lint errors, missing approvals and skipped promotion steps.

Options:
  --env NAME              environment from pgwarden.config.json (default: defaultEnv)
  --database-url URL      a server URL (default: the environment's variable, else the embedded database)
  --dry-run               show what would run; change nothing
  --to VERSION            stop after this version (YYYY-MM-DD_NN)
  --allow-out-of-order    apply a pending migration older than the newest applied one
  --no-finalize           do not write the execution record into the headers
  --preset supabase|none  what the platform provides before the first migration (default: the
                          config's "preset", supabase): created only where it is missing, e.g. on a
                          plain Postgres standing in for Supabase; a real Supabase already has it
  --config FILE           pgwarden.config.json to use`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      ...DATABASE_OPTIONS,
      'dry-run': { type: 'boolean' },
      to: { type: 'string' },
      'allow-out-of-order': { type: 'boolean' },
      'no-finalize': { type: 'boolean' },
      preset: { type: 'string' },
    },
    USAGE,
  );
  if (!args) return 0;
  const { config, target, history } = await prepareDatabaseCommand(args.values);
  for (const file of history.unreadable) console.error(`pgwarden: ${file.relPath}: ${file.message}`);
  if (history.unreadable.length > 0) return 1;

  const preset = (args.values.preset as string | undefined) ?? config.preset;
  if (preset !== 'supabase' && preset !== 'none') throw new UsageError(`--preset ${preset}: expected supabase or none`);

  const dry = Boolean(args.values['dry-run']);
  const common: Omit<MigrateOptions, 'db'> = {
    migrations: history.migrations,
    envName: target.envName,
    environment: target.environment,
    config,
    // The same rules as the commit hook: a pending migration with lint errors never runs.
    lintErrors: pendingLintGate(config, history.migrations),
    dryRun: dry,
    to: args.values.to as string | undefined,
    allowOutOfOrder: Boolean(args.values['allow-out-of-order']),
    finalize: !args.values['no-finalize'],
    appliedBy: currentUser(),
    toolVersion: await toolVersion(),
    onProgress: printProgress,
    // Applied by the runner under its lock, in one transaction, only when the gates pass and something will run.
    preset: preset === 'none' ? undefined : presetStep(preset),
  };

  if (dry && !target.url && !embeddedDatabaseExists(target.embeddedDir)) {
    // A dry run never creates the embedded database: with none, nothing is applied yet.
    console.log(`pgwarden: migrating ${target.embeddedDir} (env ${target.envName}), dry run: the embedded database does not exist yet: nothing applied yet`);
    return report(await dryRun({ ...common, dbKind: 'pglite', label: target.embeddedDir }, []));
  }
  const db = await openTarget(target);
  try {
    console.log(`pgwarden: migrating ${db.label} (env ${target.envName})${dry ? ', dry run' : ''}`);
    return report(await migrate({ ...common, db }));
  } finally {
    await db.close();
  }
}

function report(result: MigrateResult): number {
  for (const refusal of result.refused) console.error(`  refused  ${refusal.message}`);
  if (result.aborted) console.error(`  stopped  ${result.aborted}`);
  for (const file of result.reconciled) console.log(`  recorded ${file}: execution record of an earlier run written`);
  for (const warning of result.warnings) console.error(`  warning  ${warning}`);
  if (result.dryRun) {
    for (const planned of result.planned) {
      console.log(`  would apply  ${planned.name}${planned.noTransaction ? '  (no-transaction)' : ''}${planned.resumeFrom ? `  (resume after statement ${planned.resumeFrom})` : ''}`);
    }
  }
  const summary = [
    `${result.applied.length} applied`,
    `${result.alreadyApplied} already applied`,
    result.failed.length ? `${result.failed.length} failed` : '',
    result.refused.length ? `${result.refused.length} refused` : '',
    result.dryRun ? `${result.planned.length} pending` : '',
  ]
    .filter(Boolean)
    .join(', ');
  console.log(`pgwarden: ${summary} in ${formatDuration(result.durationMs)}`);
  return result.ok ? 0 : 1;
}

function printProgress(event: MigrateEvent): void {
  switch (event.type) {
    case 'preset':
      console.log(`  preset   ${event.name}: created the roles and auth schema the migrations expect`);
      break;
    case 'lock-wait':
      console.log(`  waiting  another runner holds the migration lock (${event.holder})`);
      break;
    case 'retry':
      console.log(`  retry    ${event.migration.name}: ${event.reason}; attempt ${event.attempt} of ${event.of} in ${formatDuration(event.delayMs)}`);
      break;
    case 'applied':
      console.log(`  applied  ${event.migration.name}  ${formatDuration(event.durationMs)}`);
      break;
    case 'failed':
      console.error(`  failed   ${event.migration.name}  ${formatDuration(event.durationMs)}\n           ${event.message}`);
      break;
    case 'skipped':
      break;
    case 'start':
      if (event.resumeFrom > 0) console.log(`  resume   ${event.migration.name} after statement ${event.resumeFrom}`);
      break;
  }
}
