import { rollbackTarget } from '@pgwarden/core/workspace/index';
import { parseCommand, type CommandSpec } from '../command.js';
import { toolVersion } from '../main.js';
import { currentUser, DATABASE_OPTIONS, formatDuration, prepareDatabaseCommand, requireOne } from './shared.js';

export const spec: CommandSpec = {
  usage: ['pgwarden rollback MIGRATION [--by NAME] [--reason TEXT] [--env NAME] [--database-url URL]'],
  about: `Runs the rollback script of the applied MIGRATION (the header's "Rollback Script"
section, commented or in a /* */ block) in one transaction that also removes its history row
and logs it in pgwarden.rollback_log (who, why, when). Only where the environment allows it
("allowRollback"; by default local and the embedded database). Refused for a migration without
a rollback script, one that is not applied, one changed since it ran, or one a later applied
migration builds on. The script's own BEGIN; ... COMMIT; wrapper is neutralised; any other
COMMIT, ROLLBACK or BEGIN of its own is refused (file:line) before anything runs.`,
  options: {
    by: { type: 'string', value: 'NAME', description: 'who rolls it back (default: PGWARDEN_USER, else the OS user)' },
    reason: { type: 'string', value: 'TEXT', description: 'why, for the log' },
    ...DATABASE_OPTIONS,
  },
  notes: `MIGRATION is the file's version (YYYY-MM-DD_NN) or, when several files share that version,
its file name (YYYY-MM-DD_NN_slug, .sql optional) or its path.`,
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const migration = requireOne(args.positionals, 'MIGRATION (its version YYYY-MM-DD_NN, file name or path)', spec);
  const { config, target, history } = await prepareDatabaseCommand(args.values);
  const by = ((args.values.by as string | undefined) ?? currentUser()).trim();
  const result = await rollbackTarget({
    config,
    target,
    migrations: history.migrations,
    migration,
    by,
    reason: args.values.reason as string | undefined,
    toolVersion: await toolVersion(),
    onOpen: (label) => console.log(`pgwarden: rolling back on ${label} (env ${target.envName})`),
  });
  console.log(`pgwarden: ${result.name}: rolled back in ${formatDuration(result.durationMs)} by ${by}; its history row removed, logged in pgwarden.rollback_log`);
  return 0;
}
