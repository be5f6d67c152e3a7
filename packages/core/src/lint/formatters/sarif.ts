import { RULE_IDS } from '../../rules/registry.js';
import { ruleDocsPath, type Finding } from '../../rules/types.js';
import { countedStatements } from './counted.js';
import type { Formatter } from './types.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function region(finding: Finding) {
  return { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn };
}

/**
 * SARIF 2.1.0, for code-scanning uploads; a suggestion becomes a `fixes` entry replacing the
 * finding's region. A shadow root cause lists the statements counted under it as related locations
 * (and their number in `properties.countedStatements`), so a code-scanning view links to each.
 */
export const sarif: Formatter = (findings, context) => {
  // Lint rules in registry order, then the ids of check, lint --deep and the shadow build.
  const lintIds: string[] = RULE_IDS.filter((id) => findings.some((finding) => finding.rule === id));
  const otherIds = [...new Set(findings.map((finding) => finding.rule).filter((id) => !lintIds.includes(id)))].sort();
  const ruleIds = [...lintIds, ...otherIds];
  const helpUri = (id: string) => (id.startsWith('shadow-') ? `docs/shadow.md#${id}` : ruleDocsPath(id));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pgwarden',
            version: context.toolVersion,
            informationUri: 'https://github.com/pgwarden/pgwarden',
            rules: ruleIds.map((id) => ({ id, helpUri: helpUri(id) })),
          },
        },
        results: findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIds.indexOf(finding.rule),
          level: LEVEL[finding.severity],
          message: { text: finding.hint ? `${finding.message} Fix: ${finding.hint}` : finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.file },
                region: region(finding),
              },
            },
          ],
          ...related(finding),
          ...(finding.suggestion
            ? {
                fixes: [
                  {
                    description: { text: 'Replace the statement with the suggested SQL' },
                    artifactChanges: [
                      {
                        artifactLocation: { uri: finding.file },
                        replacements: [{ deletedRegion: region(finding), insertedContent: { text: finding.suggestion.sql } }],
                      },
                    ],
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};

function related(finding: Finding): { relatedLocations?: object[]; properties?: { countedStatements: number } } {
  const statements = countedStatements(finding);
  if (!statements) return {};
  return {
    ...(statements.length
      ? {
          relatedLocations: statements.map((statement, index) => ({
            id: index + 1,
            physicalLocation: { artifactLocation: { uri: statement.file }, region: { startLine: statement.line, startColumn: statement.column } },
            message: { text: `failed only because of this finding (${finding.file}:${finding.line})` },
          })),
        }
      : {}),
    properties: { countedStatements: statements.length },
  };
}
