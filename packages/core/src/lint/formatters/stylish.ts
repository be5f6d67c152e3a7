import type { Finding } from '../../rules/types.js';
import type { Formatter } from './types.js';

const STYLES = { red: 31, yellow: 33, cyan: 36, gray: 90, bold: 1, underline: 4 } as const;
type Style = keyof typeof STYLES;

/** Human output: one block per finding with a two-line code frame and a caret under the column. */
export const stylish: Formatter = (findings, context) => {
  const paint = (style: Style, text: string) => (context.color ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];
  const linesCache = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!linesCache.has(file)) linesCache.set(file, context.source(file)?.split(/\r\n|\r|\n/));
    return linesCache.get(file);
  };

  for (const finding of findings) {
    const label = severityLabel(finding, paint);
    out.push(`${paint('underline', `${finding.file}:${finding.line}:${finding.column}`)}  ${label}  ${finding.message}  ${paint('gray', finding.rule)}`);
    const frame = codeFrame(linesOf(finding.file), finding, paint);
    if (frame) out.push(frame);
    if (finding.hint) out.push(`  ${paint('cyan', 'fix:')} ${finding.hint.split('\n').join('\n       ')}`);
    out.push('');
  }

  const count = (severity: Finding['severity']) => findings.filter((finding) => finding.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  const files = `${context.filesLinted} file${context.filesLinted === 1 ? '' : 's'}`;
  if (findings.length === 0 && context.filesLinted === 0) {
    // Nothing was checked: never "no problems".
    out.push('pgwarden: no files to check (the migrations folder has no .sql file)');
  } else if (findings.length === 0) {
    out.push(`pgwarden: ${files} checked, no problems`);
  } else {
    const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info in ${files}`;
    out.push(errors > 0 ? paint('red', paint('bold', `x ${summary}`)) : paint('yellow', summary));
  }
  return out.join('\n') + '\n';
};

function severityLabel(finding: Finding, paint: (style: Style, text: string) => string): string {
  if (finding.severity === 'error') return paint('red', 'error  ');
  if (finding.severity === 'warning') return paint('yellow', 'warning');
  return paint('cyan', 'info   ');
}

/** PASSWORD 'literal' (or a dollar-quoted one) as written in CREATE/ALTER ROLE: never shown in a code frame. */
const PASSWORD_LITERAL = /(\bPASSWORD\s+)(?:[Ee]?'(?:[^']|'')*(?:'|$)|(\$[A-Za-z_]*\$)[^]*?(?:\2|$))/gi;

/** The line with every password literal masked (same length, so that columns and carets stay right). */
export function redactPasswords(line: string): string {
  return line.replace(PASSWORD_LITERAL, (match, keyword: string) => keyword + '*'.repeat(match.length - keyword.length));
}

function codeFrame(lines: string[] | undefined, finding: Finding, paint: (style: Style, text: string) => string): string | undefined {
  const line = lines?.[finding.line - 1];
  if (line === undefined) return undefined;
  const text = redactPasswords(line);
  const gutterWidth = String(finding.line).length;
  const shown = text.length > 160 ? text.slice(0, 160) + '...' : text;
  const caretWidth =
    finding.endLine === finding.line && finding.endColumn > finding.column
      ? Math.min(finding.endColumn - finding.column, Math.max(1, shown.length - finding.column + 1))
      : 1;
  const padding = caretPadding(shown.slice(0, finding.column - 1));
  return [
    `  ${paint('gray', `${finding.line} |`)} ${shown}`,
    `  ${' '.repeat(gutterWidth)} ${paint('gray', '|')} ${padding}${paint('red', '^'.repeat(caretWidth))}`,
  ].join('\n');
}

// Columns count UTF-16 units; terminals draw East Asian wide characters and emoji in two cells
// and combining marks in none (U+FE0F asks for emoji presentation: the character before it takes two).
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Emoji_Presentation}/u;
const ZERO_WIDTH = /[\p{M}\u200b-\u200f]/u;

/** Blanks that span the same cells as `prefix`; tabs are kept so that they expand as in the line above. */
function caretPadding(prefix: string): string {
  let padding = '';
  for (const char of prefix) {
    if (char === '\t') padding += '\t';
    else if (char === '\ufe0f') padding += ' ';
    else if (ZERO_WIDTH.test(char)) continue;
    else padding += WIDE.test(char) ? '  ' : ' ';
  }
  return padding;
}
