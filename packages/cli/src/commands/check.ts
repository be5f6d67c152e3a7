import { resolve } from 'node:path';
import { runCheck, type CheckReport } from '@pgwarden/core/check/index';
import { loadConfig } from '@pgwarden/core/config/index';
import { FORMATTERS } from '@pgwarden/core/lint/index';
import { readSourceFile } from '@pgwarden/core/migration/index';
import { resolveTarget } from '@pgwarden/core/workspace/index';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from '../command.js';
import { toolVersion } from '../main.js';
import { openTarget } from './shared.js';

export const spec: CommandSpec = {
  usage: ['pgwarden check [options]'],
  about: `Proves that current_schema/ is the source of truth: it builds an empty database with no failed
statement, it matches current_schema/ at the base revision plus the migrations added since, its
catalog passes the catalog lints, and every function verifies. Offline: PGlite by default, or the
server in "shadow.url".`,
  options: {
    base: { type: 'string', value: 'REV', description: 'compare with current_schema/ at REV (default: merge-base with the default branch)' },
    fix: { type: 'boolean', description: "write the history's changes into current_schema/, then check again" },
    live: { type: 'boolean', description: 'also compare a live database (--env NAME or --database-url URL) with current_schema/' },
    env: { type: 'string', value: 'NAME', description: 'environment for --live' },
    'database-url': { type: 'string', value: 'URL', description: 'database for --live' },
    engine: { type: 'string', value: 'auto|plpgsql_check|builtin', default: 'auto', description: 'function verifier' },
    format: { type: 'string', value: 'stylish|json|github|sarif', default: 'stylish', description: 'output format' },
    config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' },
    'no-color': { type: 'boolean', description: 'plain output' },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const formatName = args.values.format as string;
  const format = FORMATTERS[formatName];
  if (!format) throw new UsageError(`unknown format "${formatName}" (stylish, json, github, sarif)`);
  const engine = args.values.engine as string;
  if (!['auto', 'plpgsql_check', 'builtin'].includes(engine)) throw new UsageError(`unknown --engine "${engine}" (auto, plpgsql_check, builtin)`);
  if (!args.values.live && (args.values.env !== undefined || args.values['database-url'] !== undefined)) {
    throw new UsageError('--env and --database-url choose the database of --live: add --live');
  }
  if (args.positionals.length > 0) throw new UsageError(`check takes no paths (got ${args.positionals[0]})\n\n${commandHelp(spec)}`);

  const config = loadConfig({ configPath: args.values.config as string | undefined });
  let live: { database: Awaited<ReturnType<typeof openTarget>>; label: string } | undefined;
  if (args.values.live) {
    const databaseUrl = args.values['database-url'] as string | undefined;
    if (databaseUrl === '') throw new UsageError('--database-url is empty (an unset variable?): pass a URL or --env NAME');
    const target = resolveTarget(config, { env: args.values.env as string | undefined, databaseUrl });
    const database = await openTarget(target);
    live = { database, label: `${database.label} (env ${target.envName})` };
  }
  let report: CheckReport;
  try {
    report = await runCheck({ config, base: args.values.base as string | undefined, fix: Boolean(args.values.fix), live, engine: engine as 'auto' });
  } finally {
    await live?.database.close();
  }

  const sources = new Map<string, string | undefined>();
  const output = format(report.findings, {
    source: (file) => {
      if (!sources.has(file)) sources.set(file, readTextOrUndefined(config.root, resolve(config.root, file)));
      return sources.get(file);
    },
    color: !args.values['no-color'] && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    filesLinted: report.files.length,
    toolVersion: await toolVersion(),
  });
  process.stdout.write(output);
  // Machine formats keep stdout to themselves; the summary goes to stderr there.
  const summary = summaryLines(report).join('\n') + '\n';
  if (formatName === 'stylish') process.stdout.write(summary);
  else process.stderr.write(summary);
  return report.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}

function summaryLines(report: CheckReport): string[] {
  const lines: string[] = [];
  if (report.fixed) {
    for (const note of report.fixed.written) lines.push(`fixed: ${note.file}:${note.line}: ${note.message}`);
    for (const note of report.fixed.unwritable) lines.push(`not fixed: ${note.file ? `${note.file}${note.line ? `:${note.line}` : ''}: ` : ''}${note.message}`);
  }
  lines.push(`build: ${report.schemaFiles} schema files, ${report.statements} statements (shadow cache: ${report.cache})`);
  const { consistency } = report;
  if (consistency.unchanged) lines.push(`history: nothing changed since the base (${consistency.base})`);
  else if (consistency.migrations.length === 0 && consistency.changes.length === 0 && consistency.base.startsWith('executed')) lines.push('history: no executed migration to compare with (no git base)');
  else lines.push(`history: ${consistency.migrations.length} migration(s) since ${consistency.base}, ${consistency.changes.length} difference(s) with current_schema/`);
  lines.push(
    report.functions.checked === 0
      ? 'functions: none verified (no function in the schema)'
      : `functions: ${report.functions.checked} verified with ${report.functions.engine}${report.functions.unchecked ? `, ${report.functions.unchecked} part(s) not checkable` : ''}`,
  );
  if (report.live) lines.push(`live: ${report.live.label}: ${report.live.changes.length} difference(s)`);
  return lines;
}

/** The text for a code frame, read with lint's checks: nothing outside the workspace is ever shown. */
function readTextOrUndefined(root: string, path: string): string | undefined {
  const source = readSourceFile(path, { root });
  return source.ok ? source.text : undefined;
}
