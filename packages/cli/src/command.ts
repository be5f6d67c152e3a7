import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CommandModule {
  /** What the command accepts and how `pgwarden <command> --help` explains it. */
  spec: CommandSpec;
  run(argv: string[]): Promise<number>;
}

/** Bad arguments: exit 2 with the message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One option, declared once: the parser's configuration and the help line both come from it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's name in help (NAME, FILE, stylish|json); string options only. */
  value?: string;
  /**
   * The value may be left out (`--changed [REV]`, which node's parseArgs cannot express): it is
   * `--name=VALUE`, or the next word when that is not an option and not a path that exists.
   */
  optionalValue?: boolean;
  short?: string;
  /** The help text; a line break continues it under the previous line. */
  description: string;
  /** Applied by the parser and shown in help as "(default: ...)". */
  default?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface CommandSpec {
  /** The synopsis, one form per entry, e.g. "pgwarden lint [paths...] [options]". */
  usage: string[];
  /** What the command does, before the options. */
  about: string;
  options: OptionSpecs;
  /** After the options (exit codes and the like). */
  notes?: string;
}

/** Every command takes it; help lists it too. */
export const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

/** The options a command accepts, --help included. */
export function acceptedOptions(spec: CommandSpec): OptionSpecs {
  return { ...spec.options, help: HELP_OPTION };
}

/** `pgwarden <command> --help`, from the spec. */
export function commandHelp(spec: CommandSpec): string {
  const options = Object.entries(acceptedOptions(spec)).map(([name, option]) => {
    const value = option.type === 'string' ? (option.optionalValue ? ` [${option.value ?? 'VALUE'}]` : ` ${option.value ?? 'VALUE'}`) : '';
    const flag = `${option.short ? `-${option.short}, ` : ''}--${name}${value}`;
    const description = option.default === undefined ? option.description : `${option.description} (default: ${option.default})`;
    return { flag, lines: description.split('\n') };
  });
  const width = Math.max(...options.map((option) => option.flag.length));
  const optionLines = options.flatMap(({ flag, lines }) => lines.map((line, index) => `  ${(index === 0 ? flag : '').padEnd(width)}  ${line}`.trimEnd()));
  const [first, ...other] = spec.usage;
  return [
    `Usage: ${first}`,
    ...other.map((form) => `       ${form}`),
    '',
    spec.about,
    '',
    'Options:',
    ...optionLines,
    ...(spec.notes ? ['', spec.notes] : []),
  ].join('\n');
}

/** node:util parseArgs' configuration for a spec (optional-value options are taken out before it runs). */
export function parseArgsOptions(spec: CommandSpec): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, option] of Object.entries(acceptedOptions(spec))) {
    if (option.optionalValue) continue;
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.default !== undefined ? { default: option.default } : {}) };
  }
  return options;
}

export interface ParsedCommandArgs {
  /** An optional-value option given without a value is the empty string. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses a command's arguments by its spec, usage errors instead of TypeErrors; undefined after printing --help. */
export function parseCommand(argv: string[], spec: CommandSpec): ParsedCommandArgs | undefined {
  const usage = commandHelp(spec);
  const { rest, optional } = takeOptionalValues(argv, spec.options);
  let parsed: ParsedCommandArgs;
  try {
    parsed = parseArgs({ args: rest, options: parseArgsOptions(spec), allowPositionals: true, strict: true }) as ParsedCommandArgs;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
  if (parsed.values.help) {
    console.log(usage);
    return undefined;
  }
  return { values: { ...parsed.values, ...optional }, positionals: parsed.positionals };
}

function takeOptionalValues(argv: string[], options: OptionSpecs): { rest: string[]; optional: Record<string, string> } {
  const names = Object.keys(options).filter((name) => options[name]!.optionalValue);
  const rest: string[] = [];
  const optional: Record<string, string> = {};
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      rest.push(...argv.slice(index));
      break;
    }
    const name = names.find((candidate) => arg === `--${candidate}` || arg.startsWith(`--${candidate}=`));
    if (!name) {
      rest.push(arg);
    } else if (arg.startsWith(`--${name}=`)) {
      optional[name] = arg.slice(`--${name}=`.length);
    } else {
      const next = argv[index + 1];
      const takesNext = next !== undefined && !next.startsWith('-') && !existsSync(resolve(next));
      optional[name] = takesNext ? next : '';
      if (takesNext) index++;
    }
  }
  return { rest, optional };
}
