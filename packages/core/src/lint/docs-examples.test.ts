import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRule } from '../rules/__fixtures__/run-rule.js';
import { isRuleId, type RuleId } from '../rules/registry.js';

const DOCS_DIR = fileURLToPath(new URL('../../../../docs/rules/', import.meta.url));

/**
 * Rules whose examples cannot be judged from the SQL alone: they need another revision, other files
 * of the history, a file name or a file that is not text. Their tests cover those cases.
 */
const NEEDS_MORE_THAN_SQL: Partial<Record<RuleId, string>> = {
  'executed-immutable': 'compares with the committed revision',
  'sequence-number': 'compares with the other files of the history',
  'file-name': 'judges the file name',
  'readable-file': 'judges bytes that are not text',
  'source-of-truth-refs': 'reads current_schema/ files',
  'unused-ignore': 'judges other rules',
};

interface Example {
  kind: 'Valid' | 'Invalid';
  sql: string;
  line: number;
}

/** The ```sql blocks under the `### Valid` and `### Invalid` headings of a rule page. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  let kind: Example['kind'] | undefined;
  let block: { lines: string[]; line: number } | undefined;
  markdown.split('\n').forEach((text, index) => {
    if (block) {
      if (text.trim() === '```') {
        if (kind) found.push({ kind, sql: `${block.lines.join('\n')}\n`, line: block.line });
        block = undefined;
      } else {
        block.lines.push(text);
      }
      return;
    }
    const heading = /^(#{2,3})\s+(.*)$/.exec(text);
    if (heading) kind = heading[1] === '###' && /^(Valid|Invalid)\b/.test(heading[2]!) ? (heading[2]!.split(/\s/)[0] as Example['kind']) : undefined;
    else if (/^```sql\s*$/.test(text.trim())) block = { lines: [], line: index + 2 };
  });
  return found;
}

const pages = readdirSync(DOCS_DIR)
  .filter((name) => name.endsWith('.md') && name !== 'README.md')
  .map((name) => name.slice(0, -3))
  .filter(isRuleId);

describe('docs/rules examples', () => {
  const judged = pages.filter((id) => !NEEDS_MORE_THAN_SQL[id]);

  it('every judged page has a Valid and an Invalid example', () => {
    const incomplete = judged.filter((id) => {
      const kinds = new Set(examples(readFileSync(`${DOCS_DIR}${id}.md`, 'utf8')).map((example) => example.kind));
      return !kinds.has('Valid') || !kinds.has('Invalid');
    });
    expect(incomplete).toEqual([]);
  });

  for (const id of judged) {
    it(`${id}: Valid examples are clean and Invalid examples report the rule`, async () => {
      const problems: string[] = [];
      for (const example of examples(readFileSync(`${DOCS_DIR}${id}.md`, 'utf8'))) {
        const findings = await runRule(id, example.sql);
        if (example.kind === 'Valid' && findings.length > 0) problems.push(`docs/rules/${id}.md:${example.line} Valid example reported: ${findings.map((finding) => finding.message).join(' | ')}`);
        if (example.kind === 'Invalid' && findings.length === 0) problems.push(`docs/rules/${id}.md:${example.line} Invalid example not reported`);
      }
      expect(problems).toEqual([]);
    });
  }
});
