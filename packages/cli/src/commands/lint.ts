import { resolve } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { readSourceFile } from '@pgwarden/core/migration/index';
import { FORMATTERS, lint, lintWithVerdictCache, prepareLint, sortFindings } from '@pgwarden/core/lint/index';
import { changedMigrationFiles, committedVersions, requireMigrationsFolder, type CommittedVersions } from '@pgwarden/core/workspace/lint-inputs';
import { parseCommand, UsageError, type CommandSpec } from '../command.js';
import { toolVersion } from '../main.js';

export const spec: CommandSpec = {
  usage: ['pgwarden lint [paths...] [options]'],
  about: `Checks migration files against the convention. Without paths, lints the whole history;
with paths (as lint-staged passes them) lints those files, still checking cross-file rules
(sequence numbers) against the rest of the history.`,
  options: {
    format: { type: 'string', value: 'stylish|json|github|sarif', default: 'stylish', description: 'output format' },
    config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' },
    since: { type: 'string', value: 'REV', description: 'compare with the committed version at REV: executed migrations are append-only' },
    deep: {
      type: 'boolean',
      description: 'also apply the pending migrations (or the named files) to a shadow of current_schema/:\nfailing statements, functions verified, overloads, idempotency and rollback proved',
    },
    changed: {
      type: 'string',
      value: 'REV',
      optionalValue: true,
      description:
        'lint only the migration files added or modified since REV (default: the\nmerge-base with the default branch: origin/HEAD, main or master), with the\nwhole history as context',
    },
    hook: { type: 'boolean', description: 'run as the commit hook: adds --deep when the config sets "hook": { "deep": true }' },
    cache: {
      type: 'boolean',
      description:
        "reuse verdicts from .pgwarden/cache/ (shared with migrate's lint gate): a file\nis linted again whenever it, the history, current_schema/, the config or\npgwarden changed",
    },
    'max-warnings': { type: 'string', value: 'N', description: 'also fail when there are more than N warnings' },
    'no-color': { type: 'boolean', description: 'plain output' },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const format = FORMATTERS[args.values.format as string];
  if (!format) throw new UsageError(`unknown format "${args.values.format}" (stylish, json, github, sarif)`);
  const maxWarnings = args.values['max-warnings'] === undefined ? Infinity : Number(args.values['max-warnings']);
  if (Number.isNaN(maxWarnings) || maxWarnings < 0) throw new UsageError('--max-warnings takes a non-negative number');

  const config = loadConfig({ configPath: args.values.config as string | undefined });
  requireMigrationsFolder(config);
  let paths = args.positionals.map((path) => resolve(path));
  let changedBase: string | undefined;
  const changed = args.values.changed as string | undefined;
  if (changed !== undefined) {
    if (paths.length > 0) throw new UsageError('--changed picks the files itself: give either paths or --changed');
    const found = changedMigrationFiles(config.root, config.migrationsDir, changed || undefined);
    if (found.paths.length === 0) {
      // Nothing was checked: say so rather than "no problems".
      process.stderr.write(`pgwarden: no migration file added or modified since ${found.base}; nothing to lint\n`);
      return 0;
    }
    paths = found.paths;
    changedBase = found.commit;
  }
  let previous: CommittedVersions | undefined;
  // --changed compares with its base too: an executed migration modified since then is reported.
  const since = (args.values.since as string | undefined) ?? changedBase;
  if (since) {
    prepareLint(config);
    previous = await committedVersions(config.root, config.migrationsDir, since, paths);
    paths = previous.paths;
  }
  const lintOptions = { paths, previousText: previous?.previousText, previousPath: previous?.previousPath };
  const result = args.values.cache ? await lintWithVerdictCache(config, lintOptions) : await lint(config, lintOptions);
  if (args.values.deep || (args.values.hook && config.hook.deep)) {
    const { deepLint, deepLintSummary } = await import('@pgwarden/core/impact/index');
    const deep = await deepLint(config, { paths: args.positionals.map((path) => resolve(path)) });
    result.findings = sortFindings([...result.findings, ...deep.findings]);
    process.stderr.write(`${deepLintSummary(deep, config.schemaDir)}\n`);
  }

  const sources = new Map<string, string | undefined>();
  const output = format(result.findings, {
    source: (file) => {
      if (!sources.has(file)) sources.set(file, readTextOrUndefined(config.root, resolve(config.root, file)));
      return sources.get(file);
    },
    color: !args.values['no-color'] && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    filesLinted: result.filesLinted,
    toolVersion: await toolVersion(),
  });
  process.stdout.write(output);

  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = result.findings.filter((finding) => finding.severity === 'warning').length;
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}


/** The text for a code frame: the same checks as the lint itself, so nothing outside the workspace is ever shown. */
function readTextOrUndefined(root: string, path: string): string | undefined {
  const source = readSourceFile(path, { root });
  return source.ok ? source.text : undefined;
}
