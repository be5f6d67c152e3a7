import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type PgwardenConfig } from '@pgwarden/core/config/index';
import { discoverMigrations } from '@pgwarden/core/migration/index';
import { FORMATTERS, lint, toRelPath } from '@pgwarden/core/lint/index';
import { parseCommandArgs, UsageError } from '../command.js';
import { toolVersion } from '../main.js';

const USAGE = `Usage: pgwarden lint [paths...] [options]

Checks migration files against the convention. Without paths, lints the whole history;
with paths (as lint-staged passes them) lints those files, still checking cross-file rules
(sequence numbers) against the rest of the history.

Options:
  --format stylish|json|github|sarif   output format (default: stylish)
  --config FILE                        pgwarden.config.json to use (default: found upwards)
  --since REV                          compare with the committed version at REV: executed migrations are append-only
  --max-warnings N                     also fail when there are more than N warnings
  --no-color                           plain output`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      format: { type: 'string', default: 'stylish' },
      config: { type: 'string' },
      since: { type: 'string' },
      'max-warnings': { type: 'string' },
      'no-color': { type: 'boolean' },
    },
    USAGE,
  );
  if (!args) return 0;
  const format = FORMATTERS[args.values.format as string];
  if (!format) throw new UsageError(`unknown format "${args.values.format}" (stylish, json, github, sarif)`);
  const maxWarnings = args.values['max-warnings'] === undefined ? Infinity : Number(args.values['max-warnings']);
  if (Number.isNaN(maxWarnings) || maxWarnings < 0) throw new UsageError('--max-warnings takes a non-negative number');

  const config = loadConfig({ configPath: args.values.config as string | undefined });
  const paths = args.positionals.map((path) => resolve(path));
  // Without paths the whole history is linted, so --since compares the whole history.
  const previousText = args.values.since
    ? readCommitted(config.root, paths.length > 0 ? paths : await historyFiles(config), args.values.since as string)
    : undefined;
  const result = await lint(config, { paths, previousText });

  const sources = new Map<string, string | undefined>();
  const output = format(result.findings, {
    source: (file) => {
      if (!sources.has(file)) sources.set(file, readTextOrUndefined(resolve(config.root, file)));
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

/** Every migration file of the history (what lint checks without paths); none when the folder is missing. */
async function historyFiles(config: PgwardenConfig): Promise<string[]> {
  try {
    return await discoverMigrations(resolve(config.root, config.migrationsDir));
  } catch {
    return [];
  }
}

function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The committed text of each path at `rev`, via one `git cat-file --batch`; files new since then are absent. */
function readCommitted(root: string, paths: string[], rev: string): Map<string, string> {
  const committed = new Map<string, string>();
  if (paths.length === 0) return committed;
  const rels = paths.map((path) => toRelPath(root, path));
  let output: Buffer;
  try {
    output = execFileSync('git', ['cat-file', '--batch'], {
      cwd: root,
      // "./": relative to cwd (the workspace root), which need not be the repository's root.
      input: rels.map((rel) => `${rev}:./${rel}`).join('\n') + '\n',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new UsageError(`--since ${rev}: git could not read the repository (${(error as Error).message.split('\n')[0]})`);
  }
  // Output: "<sha> blob <size>\n<content>\n" per found object, "<name> missing\n" otherwise.
  let offset = 0;
  for (let index = 0; index < rels.length; index++) {
    const headerEnd = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, headerEnd).toString('utf8');
    offset = headerEnd + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) continue;
    const size = Number(match[2]);
    if (match[1] === 'blob') committed.set(paths[index], output.subarray(offset, offset + size).toString('utf8'));
    offset += size + 1;
  }
  return committed;
}
