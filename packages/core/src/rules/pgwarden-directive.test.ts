import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'pgwarden-directive';

const INDEX = `
-- Index für die Statusabfrage → Dashboard
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_documents_status ON public.documents (status);
`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const CHECKSUM = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('pgwarden-directive', () => {
  it('accepts known directives before and inside the header, and a well-formed approval', async () => {
    const text = `-- pgwarden:no-transaction
${header({ extra: `-- pgwarden:lock-timeout 5s\n-- pgwarden:statement-timeout 30min\n-- APPROVED: maria ${'2025-10-08'} sha256:${CHECKSUM}\n` })}${INDEX}`;
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports an unknown directive on its line', async () => {
    const text = `-- pgwarden:no-transactions\n${header()}${INDEX}`;
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', line: 1, column: 1 });
    expect(findings[0].message).toContain("Unknown directive 'pgwarden:no-transactions'");
    expect(findings[0].hint).toContain('-- pgwarden:no-transaction"');
  });

  it('reports a malformed duration, a value given to no-transaction and a repeated directive', async () => {
    const text = `-- pgwarden:no-transaction now
${header({ extra: '-- pgwarden:lock-timeout 5 seconds\n-- pgwarden:lock-timeout 5s\n' })}${INDEX}`;
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.line)).toEqual([1, at(text, 'lock-timeout 5 seconds').line, at(text, 'lock-timeout 5s').line]);
    expect(findings[0].message).toContain("takes no value (found 'now')");
    expect(findings[1].message).toContain("has the value '5 seconds', which is not a duration: use a number with an optional unit");
    expect(findings[1].hint).toContain('-- pgwarden:lock-timeout 5s');
    expect(findings[2].message).toContain('is repeated');
  });

  it('reports a directive written in the body, where it has no effect', async () => {
    const text = `${header()}\n-- pgwarden:no-transaction${INDEX}`;
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject(at(text, '-- pgwarden:no-transaction'));
    expect(findings[0].message).toContain('in the body');
    expect(findings[0].hint).toContain('move the line into the header block');
  });

  it('reports an APPROVED line without a checksum, which does not count as an approval', async () => {
    const text = `${header({ extra: '-- APPROVED: maria 2025-10-08\n' })}${INDEX}`;
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject(at(text, '-- APPROVED: maria'));
    expect(findings[0].message).toContain('APPROVED line is not in the form');
    expect(findings[0].hint).toContain('pgwarden approve');
  });
});
