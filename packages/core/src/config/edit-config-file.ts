/**
 * Edits one top-level key of pgwarden.config.json and keeps every other byte as the team wrote it
 * (indentation, key order, line endings, a byte order mark): a command that records one setting
 * must not produce a diff in the rest of the file.
 */

interface TopLevelMember {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

interface TopLevelObject {
  open: number;
  close: number;
  members: TopLevelMember[];
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * `text` (a JSON object) with `key` set to `value`: an existing member's value is replaced in place
 * (the last one, which is the one JSON.parse keeps); a new member goes after the last one, indented
 * like it. Throws when `text` is not a JSON object.
 */
export function setTopLevelKey(text: string, key: string, value: unknown): string {
  const object = scanTopLevelObject(text);
  const rendered = JSON.stringify(value);
  const existing = object.members.filter((member) => member.key === key).at(-1);
  if (existing) return text.slice(0, existing.valueStart) + rendered + text.slice(existing.valueEnd);

  const member = `${JSON.stringify(key)}: ${rendered}`;
  const last = object.members.at(-1);
  if (!last) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return `${text.slice(0, object.open + 1)}${eol}  ${member}${eol}${text.slice(object.close)}`;
  }
  const lineStart = text.lastIndexOf('\n', last.keyStart) + 1;
  const beforeKey = text.slice(lineStart, last.keyStart);
  // The last member on a line of its own: the new one gets a line of its own, indented alike.
  const separator = /^[ \t]*$/.test(beforeKey) && lineStart > object.open ? `${text[lineStart - 2] === '\r' ? '\r\n' : '\n'}${beforeKey}` : ' ';
  return `${text.slice(0, last.valueEnd)},${separator}${member}${text.slice(last.valueEnd)}`;
}

function scanTopLevelObject(text: string): TopLevelObject {
  let at = skipWhitespace(text, text.startsWith('\uFEFF') ? 1 : 0);
  if (text[at] !== '{') throw new SyntaxError('the configuration file does not hold a JSON object');
  const open = at;
  const members: TopLevelMember[] = [];
  at = skipWhitespace(text, at + 1);
  while (text[at] !== '}') {
    if (members.length > 0) {
      if (text[at] !== ',') throw new SyntaxError(`expected "," at offset ${at}`);
      at = skipWhitespace(text, at + 1);
    }
    const keyStart = at;
    const keyEnd = skipString(text, at);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    at = skipWhitespace(text, keyEnd);
    if (text[at] !== ':') throw new SyntaxError(`expected ":" at offset ${at}`);
    const valueStart = skipWhitespace(text, at + 1);
    const valueEnd = skipValue(text, valueStart);
    members.push({ key, keyStart, valueStart, valueEnd });
    at = skipWhitespace(text, valueEnd);
  }
  return { open, close: at, members };
}

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && WHITESPACE.has(text[at]!)) at += 1;
  return at;
}

/** The offset after the string literal starting at `at`. */
function skipString(text: string, at: number): number {
  if (text[at] !== '"') throw new SyntaxError(`expected a string at offset ${at}`);
  for (let i = at + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  throw new SyntaxError('unterminated string');
}

/** The offset after the JSON value starting at `at` (objects and arrays skipped whole). */
function skipValue(text: string, at: number): number {
  if (text[at] === '"') return skipString(text, at);
  if (text[at] === '{' || text[at] === '[') {
    let depth = 0;
    for (let i = at; i < text.length; i += 1) {
      const char = text[i];
      if (char === '"') i = skipString(text, i) - 1;
      else if (char === '{' || char === '[') depth += 1;
      else if (char === '}' || char === ']') {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
    }
    throw new SyntaxError('unterminated object or array');
  }
  let end = at;
  while (end < text.length && !WHITESPACE.has(text[end]!) && text[end] !== ',' && text[end] !== '}') end += 1;
  if (end === at) throw new SyntaxError(`expected a value at offset ${at}`);
  return end;
}
