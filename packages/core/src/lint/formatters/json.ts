import type { Formatter } from './types.js';

/** An array of findings with 1-based lines and columns; keys in a stable order. */
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
    })),
    null,
    2,
  ) + '\n';
