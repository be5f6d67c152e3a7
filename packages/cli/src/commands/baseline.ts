import { relative } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { writeBaseline } from '@pgwarden/core/workspace/index';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from '../command.js';

export const spec: CommandSpec = {
  usage: ['pgwarden baseline [--config FILE]'],
  about: `Adoption on an existing history: records the version of the last migration of the history as
"baseline" in pgwarden.config.json. Migrations at or before it are history: lint judges them only
with the integrity rules (readable-file, syntax, psql-meta-command, executed-immutable), and the next new migration is linted
in full.`,
  options: { config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' }, },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"\n\n${commandHelp(spec)}`);
  const config = loadConfig({ configPath: args.values.config as string | undefined });
  const result = await writeBaseline(config);
  const where = relative(process.cwd(), result.configPath) || result.configPath;
  const was = result.previous ? ` (was ${result.previous})` : '';
  console.log(`baseline ${result.version}${was} written to ${where}: ${result.migrations} migration${result.migrations === 1 ? '' : 's'} now count as executed`);
  for (const path of result.unversioned) console.log(`  not covered (no YYYY-MM-DD_NN_ name): ${relative(config.root, path)}`);
  return 0;
}
