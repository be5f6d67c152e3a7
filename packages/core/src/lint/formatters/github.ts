import type { Formatter } from './types.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

// GitHub workflow commands: properties and data have their own escaping rules.
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions annotations, one `::error file=...::message` line per finding. */
export const github: Formatter = (findings) =>
  findings
    .map((finding) => {
      const properties = [
        `file=${escapeProperty(finding.file)}`,
        `line=${finding.line}`,
        `col=${finding.column}`,
        `endLine=${finding.endLine}`,
        `endColumn=${finding.endColumn}`,
        `title=${escapeProperty(`pgwarden(${finding.rule})`)}`,
      ].join(',');
      const message = finding.hint ? `${finding.message}\nFix: ${finding.hint}` : finding.message;
      return `::${LEVEL[finding.severity]} ${properties}::${escapeData(message)}\n`;
    })
    .join('');
