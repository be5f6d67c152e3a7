import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from '../command.js';

export const spec: CommandSpec = {
  usage: ['pgwarden plan <file> [options]'],
  about: `Touchpoint 1 impact analysis of one migration, proved on a shadow of current_schema/: for each
statement its lock and tables, rewrites and scans on the configured Postgres version, the objects
it touches and the views and functions that depend on them, where each affected table is defined
in current_schema/, idempotency and rollback proved, destructive statements, and the
current_schema/ edits needed after execution.`,
  options: {
    format: { type: 'string', value: 'md|json', default: 'md', description: 'output format' },
    write: {
      type: 'boolean',
      description: "fill the header's AFFECTED TABLES and SOURCE OF TRUTH SCHEMA UPDATED entries\n(the SQL body is not changed, so its checksum and approvals stay valid)",
    },
    config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const format = args.values.format as string;
  if (format !== 'md' && format !== 'json') throw new UsageError(`unknown format "${format}" (md, json)`);
  if (args.positionals.length !== 1) throw new UsageError(`plan takes exactly one migration file\n\n${commandHelp(spec)}`);
  const path = resolve(args.positionals[0]!);
  if (!existsSync(path)) throw new UsageError(`${args.positionals[0]}: no such file`);

  const config = loadConfig({ configPath: args.values.config as string | undefined });
  const { impactReport, impactMarkdown, writeImpactIntoFile } = await import('@pgwarden/core/impact/index');
  const report = await impactReport(config, path);
  process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : impactMarkdown(report));

  if (args.values.write) {
    const written = await writeImpactIntoFile(config, path, report);
    if (written === 'no-header') throw new UsageError(`${report.file}: no header block to fill (start the file with the template's '-- ====' header)`);
    process.stderr.write(written === 'unchanged' ? `${report.file}: header already up to date\n` : `${report.file}: header updated (AFFECTED TABLES, SOURCE OF TRUTH SCHEMA UPDATED)\n`);
  }
  return report.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}
