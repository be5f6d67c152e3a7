import type { SourceRange } from '../sql/types.js';

/**
 * Suppression comments:
 *   -- pgwarden-ignore rule-a, rule-b -- reason        (the next statement)
 *   -- pgwarden-ignore-file rule-a -- reason           (the whole file)
 */
export interface Suppression {
  scope: 'statement' | 'file';
  rules: string[];
  reason?: string;
  line: number;
  column: number;
  /** For statement scope: the lines of the statement it covers. */
  coversFrom?: number;
  coversTo?: number;
  /** Rule ids that actually silenced a finding (for unused-ignore). */
  used: Set<string>;
}

const DIRECTIVE = /^(\s*--\s*)pgwarden-ignore(-file)?\b(.*)$/;

/** `statements`: what an ignore comment can bind to: statements, and the expressions of PL/pgSQL bodies (PERFORM, EXECUTE). */
export function collectSuppressions(text: string, statements: readonly { range: SourceRange }[]): Suppression[] {
  const suppressions: Suppression[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  // Statement ranges in file order, to bind a statement-scope ignore to the statement that follows it.
  // Callers pass nested statements (DO blocks, PL/pgSQL bodies) too, so that an ignore inside a block
  // binds to the statement below it in the block, not to the next top-level statement.
  const starts = statements.map((statement) => statement.range).sort((a, b) => a.start.offset - b.start.offset);
  let next = 0;
  lines.forEach((lineText, index) => {
    const match = DIRECTIVE.exec(lineText);
    if (!match) return;
    const line = index + 1;
    const [rulePart, ...reasonParts] = match[3].split('--');
    const rules = rulePart
      .split(',')
      .map((rule) => rule.trim())
      .filter(Boolean);
    const reason = reasonParts.join('--').trim() || undefined;
    const suppression: Suppression = {
      scope: match[2] ? 'file' : 'statement',
      rules,
      reason,
      line,
      column: match[1].length + 1,
      used: new Set(),
    };
    if (suppression.scope === 'statement') {
      while (next < starts.length && starts[next].start.line <= line) next++;
      const target = starts[next];
      if (target) {
        suppression.coversFrom = target.start.line;
        suppression.coversTo = target.end.line;
      }
    }
    suppressions.push(suppression);
  });
  return suppressions;
}

/** True when a suppression silences `rule` at `line`; marks it used. */
export function isSuppressed(suppressions: readonly Suppression[], rule: string, line: number): boolean {
  for (const suppression of suppressions) {
    if (!suppression.rules.includes(rule)) continue;
    const covers =
      suppression.scope === 'file' ||
      (suppression.coversFrom !== undefined && line >= suppression.coversFrom && line <= (suppression.coversTo ?? line));
    if (covers) {
      suppression.used.add(rule);
      return true;
    }
  }
  return false;
}
