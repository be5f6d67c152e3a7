import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'checkboxes';

const SQL = `
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** A header finalised after execution; `boxes` replaces the DOWNSTREAM UPDATES entries. */
function executed(boxes: string, execution = '--   [X] production 2025-10-09 by maria (412 ms)'): string {
  return `-- ============================================================================
-- Migration: Add processing time to documents
-- Date: 2025-10-08
-- Issue: Document processing durations are not tracked
--
-- PROBLEM: Operators cannot see how long documents take to process.
-- SOLUTION: Add a column and backfill it.
-- AFFECTED TABLES: documents
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/04_ai_processing.sql (Line 2: documents.processing_time_minutes added)
--
-- DOWNSTREAM UPDATES:
${boxes}
--
-- MIGRATION EXECUTED:
${execution}
--   [X] staging 2025-10-08 by joão (388 ms)
-- ============================================================================
${SQL}`;
}

describe('checkboxes', () => {
  it('accepts [ ], [X], [x] and [N/A] before execution, and ignores bracketed placeholders', async () => {
    const text = `${header({
      extra: '-- LOCKING CONSIDERATION: [Brief explanation] of the lock → none\n--   [x] reviewed by Zoë\n-- RELEASE: [WIP] behind the flag [P1]\n',
    })}${SQL}`;
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('accepts an executed migration with every box closed', async () => {
    const text = executed('--   [x] Bridge schemas updated (if applicable)\n--   [N/A] TypeScript types updated (if applicable)');
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports malformed marks with their exact position and the spelling to use', async () => {
    const text = `${header({
      extra: ['--   [-] Integration test passes', '--   - [Y] Verification query confirms the result', '--   [] RPC signatures checked', '--   [ x] Idempotency tested', '-- POST-CHECK: [n/a] Not needed'].join('\n') + '\n',
    })}${SQL}`;
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column, finding.endColumn, finding.message, finding.hint])).toEqual([
      [at(text, '[-]').line, 6, 9, 'malformed checkbox "[-]": a box is written [ ], [X], [x] or [N/A]', 'write [X] when done, [ ] when still to do, or [N/A] when it does not apply'],
      [at(text, '[Y]').line, 8, 11, 'malformed checkbox "[Y]": a box is written [ ], [X], [x] or [N/A]', 'write [X]'],
      [at(text, '[]').line, 6, 8, 'malformed checkbox "[]": a box is written [ ], [X], [x] or [N/A]', 'write [ ] when still to do'],
      [at(text, '[ x]').line, 6, 10, 'malformed checkbox "[ x]": a box is written [ ], [X], [x] or [N/A]', 'write [X]'],
      [at(text, '[n/a]').line, 16, 21, 'malformed checkbox "[n/a]": a box is written [ ], [X], [x] or [N/A]', 'write [N/A]'],
    ]);
    expect(findings.every((finding) => finding.rule === RULE && finding.severity === 'error')).toBe(true);
  });

  it('reports each open box left in an executed migration, naming the executions', async () => {
    const text = executed('--   [ ] Bridge schemas updated (if applicable)\n--   [ ] TypeScript types updated (if applicable)');
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [
        at(text, '[ ] Bridge').line,
        6,
        'open checkbox "[ ] Bridge schemas updated (if applicable)" under DOWNSTREAM UPDATES in a migration executed on production 2025-10-09, on staging 2025-10-08 (1 of 2 open boxes)',
      ],
      [
        at(text, '[ ] TypeScript').line,
        6,
        'open checkbox "[ ] TypeScript types updated (if applicable)" under DOWNSTREAM UPDATES in a migration executed on production 2025-10-09, on staging 2025-10-08 (2 of 2 open boxes)',
      ],
    ]);
    expect(findings[0].hint).toContain('[N/A]');
  });

  it('counts a hand-written "[X] Executed <date>" record as an execution', async () => {
    const text = executed('--   [ ] TypeScript types updated (if applicable)', '--   [X] Executed 2025-10-09 in the Supabase SQL editor');
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('in a migration executed on 2025-10-09, on staging 2025-10-08');
  });

  it('does not treat an open "[ ] Not yet executed" box as an execution', async () => {
    const text = `${header({ extra: '--   [ ] TypeScript types regenerated\n' })}${SQL}`;
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('a record from an environment that does not record (an old local run) does not make the header complete; a recording one does', async () => {
    const boxes = '--   [ ] TypeScript types updated (if applicable)';
    const text = executed(boxes, '--   [X] local 2025-10-09 by maria (12 ms)').replace(/\n--   \[X\] staging [^\n]*/, '');
    const environments = { local: {}, production: { urlEnv: 'PRODUCTION_DATABASE_URL', production: true } };
    expect(await runRule(RULE, text, { config: { environments } })).toEqual([]);
    // The same header with production's record: the open box is a forgotten step.
    const recorded = executed(boxes).replace(/\n--   \[X\] staging [^\n]*/, '');
    const findings = await runRule(RULE, recorded, { config: { environments } });
    expect(findings.map((finding) => finding.message)).toEqual([
      'open checkbox "[ ] TypeScript types updated (if applicable)" under DOWNSTREAM UPDATES in a migration executed on production 2025-10-09',
    ]);
    // An environment marked "record": false does not finalise either, even on a server.
    const staging = executed(boxes, '--   [X] staging 2025-10-09 by maria (12 ms)').replace(/\n--   \[X\] staging 2025-10-08[^\n]*/, '');
    const noRecord = { local: {}, staging: { urlEnv: 'STAGING_DATABASE_URL', record: false } };
    expect(await runRule(RULE, staging, { config: { environments: noRecord } })).toEqual([]);
  });
});
