/**
 * Help and accepted options cannot drift: for every command, the options `pgwarden <command> --help`
 * lists are exactly the options the parser accepts, each taking a value exactly when help shows one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandHelp, parseArgsOptions, parseCommand, UsageError, type CommandSpec } from './command.js';
import { COMMANDS } from './main.js';

afterEach(() => {
  vi.restoreAllMocks();
});

interface ListedOption {
  name: string;
  short?: string;
  /** Help shows a value (`--format stylish|json`), optional when bracketed (`--changed [REV]`). */
  value?: 'required' | 'optional';
}

/** The options a help text lists in its Options section. */
function listedOptions(help: string): ListedOption[] {
  const section = help.slice(help.indexOf('\nOptions:\n'));
  return [...section.matchAll(/^ {2}(?:-(\w), )?--([a-z][\w-]*)( \[[^\s\]]+\]| [^\s[]+)?(?: {2}|$)/gm)].map((match) => ({
    name: match[2]!,
    ...(match[1] ? { short: match[1] } : {}),
    ...(match[3] ? { value: match[3].startsWith(' [') ? ('optional' as const) : ('required' as const) } : {}),
  }));
}

/** What `pgwarden <command> --help` prints (and its exit code). */
async function printedHelp(run: (argv: string[]) => Promise<number>): Promise<{ code: number; text: string }> {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
  const code = await run(['--help']);
  vi.restoreAllMocks();
  return { code, text: printed.join('\n') };
}

const parses = (argv: string[], spec: CommandSpec): boolean => {
  try {
    parseCommand(argv, spec);
    return true;
  } catch (error) {
    if (error instanceof UsageError) return false;
    throw error;
  }
};

describe.each(Object.keys(COMMANDS))('pgwarden %s', (name) => {
  it('--help lists exactly the options the parser accepts', async () => {
    const { spec, run } = await COMMANDS[name]!();
    const help = await printedHelp(run);
    expect(help.code).toBe(0);
    expect(help.text).toBe(commandHelp(spec));
    expect(help.text.startsWith(`Usage: pgwarden ${name}`)).toBe(true);

    const listed = listedOptions(help.text);
    const parserOptions = parseArgsOptions(spec);
    const optionalValues = Object.keys(spec.options).filter((option) => spec.options[option]!.optionalValue);
    expect(listed.map((option) => option.name).sort()).toEqual([...Object.keys(parserOptions), ...optionalValues].sort());
    expect(listed.find((option) => option.name === 'help')).toEqual({ name: 'help', short: 'h' });
  });

  it('each listed option parses, taking a value exactly when help shows one; anything else is refused', async () => {
    const { spec, run } = await COMMANDS[name]!();
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    for (const option of listedOptions((await printedHelp(run)).text)) {
      const flag = `--${option.name}`;
      if (option.name === 'help') continue;
      if (option.value === 'required') {
        expect(parses([flag, 'x'], spec), `${flag} x`).toBe(true);
        expect(parses([flag], spec), `${flag} without its value`).toBe(false);
      } else if (option.value === 'optional') {
        expect(parses([flag], spec), flag).toBe(true);
        expect(parses([`${flag}=x`], spec), `${flag}=x`).toBe(true);
      } else {
        expect(parses([flag], spec), flag).toBe(true);
        expect(parses([`${flag}=x`], spec), `${flag}=x: a switch takes no value`).toBe(false);
      }
      if (option.short) expect(parses([`-${option.short}`], spec)).toBe(true);
    }
    expect(parses(['--no-such-option'], spec)).toBe(false);
  });
});

describe('parseCommand', () => {
  const spec: CommandSpec = {
    usage: ['pgwarden demo [options]'],
    about: 'A command for the test.',
    options: {
      format: { type: 'string', value: 'a|b', default: 'a', description: 'output format' },
      changed: { type: 'string', value: 'REV', optionalValue: true, description: 'since REV\nsecond line' },
      quiet: { type: 'boolean', description: 'say less' },
    },
  };

  it('applies defaults, shows them in help, and lines up continuation lines', () => {
    expect(parseCommand([], spec)).toEqual({ values: { format: 'a' }, positionals: [] });
    expect(commandHelp(spec)).toBe(
      [
        'Usage: pgwarden demo [options]',
        '',
        'A command for the test.',
        '',
        'Options:',
        '  --format a|b     output format (default: a)',
        '  --changed [REV]  since REV',
        '                   second line',
        '  --quiet          say less',
        '  -h, --help       show this help',
      ].join('\n'),
    );
  });

  it('an optional value: --name=VALUE, the next word, or none when the next word is an option or an existing path', () => {
    expect(parseCommand(['--changed=main'], spec)?.values.changed).toBe('main');
    expect(parseCommand(['--changed', 'origin/main'], spec)?.values.changed).toBe('origin/main');
    expect(parseCommand(['--changed', '--quiet'], spec)?.values).toMatchObject({ changed: '', quiet: true });
    expect(parseCommand(['--changed', 'package.json'], spec)).toEqual({ values: { format: 'a', changed: '' }, positionals: ['package.json'] });
    expect(parseCommand(['--', '--changed'], spec)).toEqual({ values: { format: 'a' }, positionals: ['--changed'] });
  });

  it('a usage error carries the help', () => {
    expect(() => parseCommand(['--colour'], spec)).toThrow(/Unknown option '--colour'[\s\S]*Usage: pgwarden demo/);
  });
});
