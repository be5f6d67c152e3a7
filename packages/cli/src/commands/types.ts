import { loadConfig } from '@pgwarden/core/config/index';
import { checkTypesFreshness, runTypes } from '@pgwarden/core/typegen/index';
import { parseCommand, type CommandSpec } from '../command.js';

export const spec: CommandSpec = {
  usage: ['pgwarden types [--check] [--env NAME] [--config FILE]', 'pgwarden types --fresh'],
  about: `Generates the configured outputs (types.outputs: supabase, json-schema, zod) from the shadow
built from the schema folder, or from the database of --env NAME. A file is written only when
its text changes. Overlays (types.overlays) are merged into json-schema and zod and verified.`,
  options: {
    check: { type: 'boolean', description: 'write nothing; exit 1 listing stale files and overlay findings' },
    fresh: {
      type: 'boolean',
      description: 'fingerprints only (no database, milliseconds): exit 1 when a generated file is older\nthan the schema files, overlays, configuration or pgwarden version (the commit hook)',
    },
    env: { type: 'string', value: 'NAME', description: 'generate from the database of this environment instead of the shadow' },
    config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' },
  },
  notes: 'Exit codes: 0 up to date, 1 stale files or overlay findings, 2 usage or configuration error.',
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const config = loadConfig({ configPath: args.values.config as string | undefined });

  if (args.values.fresh) {
    const { stale, checked } = checkTypesFreshness(config);
    for (const file of stale) console.error(`${file.path}: stale (${file.reason})`);
    if (stale.length > 0) {
      console.error(`pgwarden: ${stale.length} of ${checked} generated output(s) are stale; run: pgwarden types`);
      return 1;
    }
    console.log(`pgwarden: ${checked} generated output(s) match the schema files`);
    return 0;
  }

  const result = await runTypes(config, { check: Boolean(args.values.check), env: args.values.env as string | undefined });
  for (const finding of result.findings) console.error(`${finding.file}:${finding.line}: ${finding.key ? `${finding.key}: ` : ''}${finding.message}`);
  const count = (status: string) => result.files.filter((f) => f.status === status).length;
  if (args.values.check) {
    for (const file of result.files.filter((f) => f.status === 'stale')) console.error(`${file.path}: stale`);
    const stale = count('stale');
    if (stale > 0) console.error(`pgwarden: ${stale} generated file(s) are stale; run: pgwarden types${args.values.env ? ` --env ${args.values.env}` : ''}`);
    if (stale === 0 && result.findings.length === 0) console.log(`pgwarden: ${result.files.length} generated file(s) up to date`);
    return stale > 0 || result.findings.length > 0 ? 1 : 0;
  }
  for (const file of result.files.filter((f) => f.status === 'written' || f.status === 'removed')) console.log(`${file.status} ${file.path}`);
  console.log(`pgwarden: ${count('written')} written, ${count('removed')} removed, ${count('unchanged')} unchanged`);
  if (result.findings.length > 0) console.error(`pgwarden: ${result.findings.length} overlay finding(s)`);
  return result.findings.length > 0 ? 1 : 0;
}
