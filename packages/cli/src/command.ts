import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

/** Bad arguments: exit 2 with the message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with usage errors instead of TypeErrors, and --help handled. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T, usage: string) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (parsed.values.help) {
      console.log(usage);
      return undefined;
    }
    return parsed;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
}
