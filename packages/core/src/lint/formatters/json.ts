import type { Finding } from '../../rules/types.js';
import { countedStatements } from './counted.js';
import type { Formatter } from './types.js';

/**
 * An array of findings with 1-based lines and columns; keys in a stable order. A shadow root cause
 * adds `counted`: the statements that failed only because of it (file, line, column), which the
 * message counts.
 */
export const json: Formatter = (findings) =>
  JSON.stringify(
    findings.map((finding) => ({
      file: finding.file,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      hint: finding.hint ?? null,
      suggestion: finding.suggestion ? { sql: finding.suggestion.sql } : null,
      ...counted(finding),
    })),
    null,
    2,
  ) + '\n';

function counted(finding: Finding): { counted?: { file: string; line: number; column: number }[] } {
  const statements = countedStatements(finding);
  return statements ? { counted: statements.map(({ file, line, column }) => ({ file, line, column })) } : {};
}
