/*
 * Per-file execution directives, one header line each:
 *   -- pgwarden:no-transaction              run the file outside a transaction (CREATE INDEX CONCURRENTLY)
 *   -- pgwarden:lock-timeout <duration>     SET lock_timeout for this file
 *   -- pgwarden:statement-timeout <duration>
 * A duration is a Postgres time value: a number with an optional unit among us, ms, s,
 * min, h, d (`500ms`, `5s`, `2min`; a bare number means milliseconds, `0` disables), at most
 * 2147483647 ms, and not a value that rounds to 0 ms (see duration.ts).
 * Unknown, malformed and repeated directives become problems instead of being applied.
 */
import type { HeaderProblem, MigrationDirectives } from './types.js';
import type { SourceLine } from './lines.js';
import { parseTimeoutDuration } from './duration.js';

const DIRECTIVE_LINE = /^\s*--\s*pgwarden:([^]*)$/;
const EXAMPLES = 'such as 500ms, 5s or 2min';

export function isDirectiveLine(text: string): boolean {
  return DIRECTIVE_LINE.test(text);
}

/** True for a Postgres time value pgwarden accepts for a timeout (directive or configuration). */
export function isValidDuration(value: string): boolean {
  return parseTimeoutDuration(value).ok;
}

export function emptyDirectives(): MigrationDirectives {
  return { noTransaction: false };
}

/** Reads directives from the given lines; lines that are not directives are ignored. */
export function readDirectives(lines: Iterable<SourceLine>): { directives: MigrationDirectives; problems: HeaderProblem[] } {
  const directives = emptyDirectives();
  const problems: HeaderProblem[] = [];
  const seenOn = new Map<string, number>();

  for (const line of lines) {
    const match = DIRECTIVE_LINE.exec(line.text);
    if (!match) continue;
    const rest = match[1]!.trim();
    const space = rest.search(/\s/);
    const name = space < 0 ? rest : rest.slice(0, space);
    const value = space < 0 ? '' : rest.slice(space).trim();
    const problem = (message: string) => problems.push({ message, line: line.number });

    if (name !== 'no-transaction' && name !== 'lock-timeout' && name !== 'statement-timeout') {
      problem(`Unknown directive 'pgwarden:${name}'; the known ones are pgwarden:no-transaction, pgwarden:lock-timeout and pgwarden:statement-timeout.`);
      continue;
    }
    const earlier = seenOn.get(name);
    if (earlier !== undefined) problem(`The directive pgwarden:${name} is repeated (first on line ${earlier}); the last one applies.`);
    seenOn.set(name, line.number);

    if (name === 'no-transaction') {
      if (value) problem(`The directive pgwarden:no-transaction takes no value (found '${value}').`);
      directives.noTransaction = true;
      continue;
    }
    const field = name === 'lock-timeout' ? 'lockTimeout' : 'statementTimeout';
    if (!value) {
      problem(`The directive pgwarden:${name} needs a duration ${EXAMPLES}.`);
    } else if (!isValidDuration(value)) {
      const checked = parseTimeoutDuration(value);
      problem(`The directive pgwarden:${name} has the value '${value}', which ${checked.ok ? 'is not accepted' : checked.reason}.`);
    } else {
      directives[field] = value.replace(/\s/g, '');
    }
  }
  return { directives, problems };
}

/**
 * Canonical text of the directives for the checksum: `name=value` lines for the directives
 * that are set, sorted by name, joined with LF. A directive changes how the SQL runs, so
 * adding or changing one must change the checksum like a body edit does.
 */
export function canonicalDirectives(directives: MigrationDirectives): string {
  const entries: string[] = [];
  if (directives.noTransaction) entries.push('no-transaction=1');
  if (directives.lockTimeout !== undefined) entries.push(`lock-timeout=${directives.lockTimeout}`);
  if (directives.statementTimeout !== undefined) entries.push(`statement-timeout=${directives.statementTimeout}`);
  return entries.sort().join('\n');
}
