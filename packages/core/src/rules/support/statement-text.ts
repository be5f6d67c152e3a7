/** A statement's source text shortened for messages (first line, one line) and rewritten for fix suggestions. */

/** The first line of a statement (whitespace collapsed), cut at `max` characters. */
export function firstLine(text: string, max = 110): string {
  const line = stripLeadingComments(text).split(/\r\n|\r|\n/)[0]!.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3).trimEnd()}...` : line;
}

/** The statement on one line (whitespace collapsed), cut at `max` characters. */
export function oneLine(text: string, max = 160): string {
  const line = stripLeadingComments(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3).trimEnd()}...` : line;
}

function stripLeadingComments(text: string): string {
  let rest = text;
  for (;;) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith('--')) {
      const newline = trimmed.indexOf('\n');
      rest = newline < 0 ? '' : trimmed.slice(newline + 1);
    } else if (trimmed.startsWith('/*')) {
      const close = trimmed.indexOf('*/');
      rest = close < 0 ? '' : trimmed.slice(close + 2);
    } else {
      return trimmed;
    }
  }
}

/**
 * The statement's first line with `insertion` placed right after the keywords `pattern` matches at
 * its start (e.g. `IF NOT EXISTS ` after `CREATE TABLE `); undefined when the pattern does not match.
 */
export function insertAfter(text: string, pattern: RegExp, insertion: string, max = 110): string | undefined {
  const body = stripLeadingComments(text);
  const match = new RegExp(`^(?:${pattern.source})`, 'i').exec(body);
  if (!match) return undefined;
  return firstLine(body.slice(0, match[0].length) + insertion + body.slice(match[0].length), max);
}

/**
 * The whole statement (leading comments dropped) with `insertion` placed right after the keywords
 * `pattern` matches at its start: the SQL of a fix suggestion. Undefined when the pattern does not match.
 */
export function withInsertion(text: string, pattern: RegExp, insertion: string): string | undefined {
  const body = stripLeadingComments(text).trimEnd();
  const match = new RegExp(`^(?:${pattern.source})`, 'i').exec(body);
  if (!match) return undefined;
  return body.slice(0, match[0].length) + insertion + body.slice(match[0].length);
}
