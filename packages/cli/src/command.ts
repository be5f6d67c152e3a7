import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

/** Bad arguments: exit 2 with the message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** node:util parseArgs with usage errors instead of TypeErrors; undefined after printing --help. */
export function parseCommandArgs(argv: string[], options: Options, usage: string): ParsedCommandArgs | undefined {
  let parsed: ParsedCommandArgs;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as ParsedCommandArgs;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
  if (parsed.values.help) {
    console.log(usage);
    return undefined;
  }
  return parsed;
}
