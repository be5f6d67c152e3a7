import { describe, expect, it } from 'vitest';
import { addApproval, addExecutionRecord, setHeaderSection, tickCheckboxes } from './rewrite.js';
import { renderNewMigration } from './new-migration.js';
import {
  APPROVED_FIXTURE,
  EXECUTED_FIXTURE,
  NO_HEADER_FIXTURE,
  UNCLOSED_FIXTURE,
  fixtureText,
  parseText,
  toCrlf,
} from './__fixtures__/fixtures.js';

const RULE = `-- ${'='.repeat(76)}`;
const CHECKSUM = 'a'.repeat(64);
const template = renderNewMigration({ date: '2025-10-12', sequence: 22, slug: 'add_patient_nicknames' });
const approvedText = fixtureText(APPROVED_FIXTURE);

/** Replaces exactly one occurrence, failing the test if the anchor is not unique. */
function replaceOnce(text: string, search: string, replacement: string): string {
  expect(text.split(search)).toHaveLength(2);
  return text.replace(search, replacement);
}

describe('addApproval', () => {
  it('inserts the APPROVED line just before the closing rule, changing nothing else', () => {
    const approved = addApproval(template, { by: 'alice', date: '2025-10-13', checksum: CHECKSUM });
    expect(approved).toBe(
      replaceOnce(template, `--   [ ] Not yet executed\n${RULE}`, `--   [ ] Not yet executed\n-- APPROVED: alice 2025-10-13 sha256:${CHECKSUM}\n${RULE}`),
    );
    const migration = parseText(approved);
    expect(migration.header?.approvals).toEqual([{ by: 'alice', kind: 'human', date: '2025-10-13', checksum: CHECKSUM, line: 19 }]);
    expect(migration.checksum).toBe(parseText(template).checksum);
  });

  it('replaces an approval by the same reviewer in place and removes duplicates', () => {
    const twice = `${RULE}\n-- APPROVED: bob 2025-10-01 sha256:${'b'.repeat(64)}\n-- APPROVED: alice 2025-10-01 sha256:${'c'.repeat(64)}\n-- APPROVED: bob 2025-10-02 sha256:${'d'.repeat(64)}\n${RULE}\nSELECT 1;\n`;
    expect(addApproval(twice, { by: 'bob', date: '2025-10-13', checksum: CHECKSUM.toUpperCase() })).toBe(
      `${RULE}\n-- APPROVED: bob 2025-10-13 sha256:${CHECKSUM}\n-- APPROVED: alice 2025-10-01 sha256:${'c'.repeat(64)}\n${RULE}\nSELECT 1;\n`,
    );
  });

  it('keeps CRLF line endings, non-ASCII text and the body byte for byte', () => {
    const crlf = toCrlf(fixtureText(EXECUTED_FIXTURE));
    const approved = addApproval(crlf, { by: 'dr.smith', date: '2025-10-13', checksum: CHECKSUM });
    expect(approved).toBe(
      replaceOnce(crlf, `[X] Executed 2025-10-08\r\n${RULE}`, `[X] Executed 2025-10-08\r\n-- APPROVED: dr.smith 2025-10-13 sha256:${CHECKSUM}\r\n${RULE}`),
    );
    expect(parseText(approved).checksum).toBe(parseText(crlf).checksum);
  });

  it('appends to an unclosed header, after its last comment line', () => {
    const text = fixtureText(UNCLOSED_FIXTURE);
    const approved = addApproval(text, { by: 'jane_doe', date: '2025-10-13', checksum: CHECKSUM });
    expect(approved).toBe(
      replaceOnce(text, 'closing rule.\n', `closing rule.\n-- APPROVED: jane_doe 2025-10-13 sha256:${CHECKSUM}\n`),
    );
    expect(parseText(approved).header?.approvals).toHaveLength(1);
  });

  it('refuses bad input and a file without header, saying why', () => {
    expect(() => addApproval(template, { by: 'Jane Doe', date: '2025-10-13', checksum: CHECKSUM })).toThrow('one word without spaces');
    expect(() => addApproval(template, { by: 'jane', date: '2025-13-01', checksum: CHECKSUM })).toThrow('real YYYY-MM-DD');
    expect(() => addApproval(template, { by: 'jane', date: '2025-10-13', checksum: 'abc' })).toThrow('64 hexadecimal digits');
    expect(() => addApproval(fixtureText(NO_HEADER_FIXTURE), { by: 'jane', date: '2025-10-13', checksum: CHECKSUM })).toThrow(
      "Cannot add an approval: the file has no header block. A header starts at the top of the file with a '-- ====' rule line (at least 10 '=') and is closed by another one.",
    );
  });
});

describe('addExecutionRecord', () => {
  const run = { env: 'local', date: '2025-10-13', by: 'alice', durationMs: 1234.4 };

  it('replaces the "Not yet executed" placeholder', () => {
    const executed = addExecutionRecord(template, run);
    expect(executed).toBe(replaceOnce(template, '--   [ ] Not yet executed', '--   [X] local 2025-10-13 by alice (1234 ms)'));
    const migration = parseText(executed);
    expect(migration.header?.executions).toEqual([{ env: 'local', date: '2025-10-13', by: 'alice', durationMs: 1234, line: 18 }]);
    expect(migration.checksum).toBe(parseText(template).checksum);
  });

  it('otherwise fills the first open box of the section', () => {
    expect(addExecutionRecord(approvedText, { ...run, env: 'production', by: 'bob' })).toBe(
      replaceOnce(approvedText, '--   [ ] production\n', '--   [X] production 2025-10-13 by bob (1234 ms)\n'),
    );
  });

  it('appends after the last line of the section when no box is open, with the same indentation', () => {
    const full = replaceOnce(approvedText, '--   [ ] production\n', '');
    expect(addExecutionRecord(full, run)).toBe(
      replaceOnce(full, '(8812 ms)\n', '(8812 ms)\n--   [X] local 2025-10-13 by alice (1234 ms)\n'),
    );
  });

  it('creates the section above trailing approvals when it is missing', () => {
    const withoutSection = replaceOnce(
      approvedText,
      '-- MIGRATION EXECUTED:\n--   [X] local 2025-10-09 by alice (1234 ms)\n--   [X] staging 2025-10-10 by dr.smith (8812 ms)\n--   [ ] production\n',
      '',
    );
    expect(addExecutionRecord(withoutSection, run)).toBe(
      replaceOnce(withoutSection, '--\n-- APPROVED: jane_doe', '--\n-- MIGRATION EXECUTED:\n--   [X] local 2025-10-13 by alice (1234 ms)\n-- APPROVED: jane_doe'),
    );
  });

  it('creates the section before the closing rule with a separator line, keeping CRLF', () => {
    const crlf = toCrlf(`${RULE}\n-- Migration: x\n-- AFFECTED TABLES: t\n${RULE}\n\nSELECT 1;\n`);
    const executed = addExecutionRecord(crlf, run);
    expect(executed).toBe(
      toCrlf(`${RULE}\n-- Migration: x\n-- AFFECTED TABLES: t\n--\n-- MIGRATION EXECUTED:\n--   [X] local 2025-10-13 by alice (1234 ms)\n${RULE}\n\nSELECT 1;\n`),
    );
    expect(parseText(executed).checksum).toBe(parseText(crlf).checksum);
  });

  it('fills a placeholder written on the section line itself', () => {
    const inline = `${RULE}\n-- MIGRATION EXECUTED: [ ] Not yet executed\n${RULE}\n`;
    expect(addExecutionRecord(inline, run)).toBe(`${RULE}\n-- MIGRATION EXECUTED: [X] local 2025-10-13 by alice (1234 ms)\n${RULE}\n`);
  });

  it('adds a line ending to a header that ends the file without one', () => {
    const text = `${RULE}\n-- MIGRATION EXECUTED:\n--   [X] Executed 2025-10-01`;
    expect(addExecutionRecord(text, run)).toBe(`${text}\n--   [X] local 2025-10-13 by alice (1234 ms)`);
  });

  it('refuses bad input and a file without header', () => {
    expect(() => addExecutionRecord(template, { ...run, env: 'prod env' })).toThrow('environment name must be one word');
    expect(() => addExecutionRecord(template, { ...run, env: 'Executed' })).toThrow('hand-written record');
    expect(() => addExecutionRecord(template, { ...run, durationMs: -1 })).toThrow('non-negative');
    expect(() => addExecutionRecord('SELECT 1;\n', run)).toThrow('Cannot record an execution: the file has no header block.');
  });
});

describe('tickCheckboxes', () => {
  it('ticks every open box except the execution placeholder, leaving [N/A] and ticked boxes', () => {
    const text = replaceOnce(template, '--   [ ] TypeScript types', '--   [N/A] TypeScript types');
    expect(tickCheckboxes(text)).toBe(
      text
        .replace('--   [ ] current_schema/XX', '--   [X] current_schema/XX')
        .replace('--   [ ] Bridge schemas', '--   [X] Bridge schemas'),
    );
  });

  it('ticks only the given sections, by label or key', () => {
    const ticked = tickCheckboxes(template, ['Downstream  updates']);
    expect(ticked).toBe(
      template.replace('--   [ ] Bridge schemas', '--   [X] Bridge schemas').replace('--   [ ] TypeScript types', '--   [X] TypeScript types'),
    );
    expect(tickCheckboxes(approvedText, ['MIGRATION EXECUTED'])).toBe(replaceOnce(approvedText, '[ ] production', '[X] production'));
  });

  it('leaves body text alone and keeps the checksum', () => {
    const text = `${RULE}\n-- Checklist [ ] tested\n${RULE}\n-- [ ] not a header box\nSELECT 1;\n`;
    const ticked = tickCheckboxes(text);
    expect(ticked).toBe(`${RULE}\n-- Checklist [X] tested\n${RULE}\n-- [ ] not a header box\nSELECT 1;\n`);
    expect(parseText(ticked).checksum).toBe(parseText(text).checksum);
  });

  it('returns the text unchanged when nothing is open, and throws without a header', () => {
    expect(tickCheckboxes(fixtureText(EXECUTED_FIXTURE))).toBe(fixtureText(EXECUTED_FIXTURE));
    expect(() => tickCheckboxes(fixtureText(NO_HEADER_FIXTURE))).toThrow('Cannot tick checkboxes: the file has no header block.');
  });
});

describe('setHeaderSection', () => {
  const multiLine = [
    RULE,
    '-- Migration: X',
    '-- AFFECTED TABLES: patients,',
    '--   visits',
    '--',
    '-- SOURCE OF TRUTH SCHEMA UPDATED:',
    '--   [X] current_schema/02_profiles.sql (Line 9: old)',
    '--   [ ] current_schema/03_clinical_core.sql (Line ?: old)',
    '--',
    '-- DOWNSTREAM UPDATES:',
    '--   [ ] Bridge schemas updated (if applicable)',
    RULE,
    '',
    'SELECT 1;',
    '',
  ].join('\n');

  it('replaces a section written over several lines, leaving the neighbours', () => {
    const written = setHeaderSection(setHeaderSection(multiLine, 'AFFECTED TABLES', 'people'), 'SOURCE OF TRUTH SCHEMA UPDATED', '', ['[ ] current_schema/01_people.sql (Line 5: added column public.people.nickname)']);
    expect(written).toBe(
      multiLine
        .replace('-- AFFECTED TABLES: patients,\n--   visits', '-- AFFECTED TABLES: people')
        .replace('--   [X] current_schema/02_profiles.sql (Line 9: old)\n--   [ ] current_schema/03_clinical_core.sql (Line ?: old)', '--   [ ] current_schema/01_people.sql (Line 5: added column public.people.nickname)'),
    );
    expect(parseText(written).checksum).toBe(parseText(multiLine).checksum);
    expect(parseText(written).header!.sourceOfTruth.map((ref) => ref.file)).toEqual(['current_schema/01_people.sql']);
  });

  it('keeps CRLF and adds a missing section above the approvals', () => {
    const crlf = toCrlf([RULE, '-- Migration: X', '-- APPROVED: alice 2025-10-13 sha256:' + CHECKSUM, RULE, '', 'SELECT 1;', ''].join('\n'));
    const written = setHeaderSection(crlf, 'AFFECTED TABLES', 'people');
    expect(written).toBe(crlf.replace('-- APPROVED:', '-- AFFECTED TABLES: people\r\n-- APPROVED:'));
  });

  it('throws without a header', () => {
    expect(() => setHeaderSection('SELECT 1;\n', 'AFFECTED TABLES', 'x')).toThrow(/no header block/);
  });
});

describe('touchpoint 2 end to end', () => {
  it('approve, execute, tick: every step keeps the checksum and the approval stays valid', () => {
    const checksum = parseText(template).checksum;
    let text = addApproval(template, { by: 'reviewer', date: '2025-10-12', checksum });
    text = addExecutionRecord(text, { env: 'local', date: '2025-10-13', by: 'alice', durationMs: 40 });
    text = addExecutionRecord(text, { env: 'staging', date: '2025-10-14', by: 'alice', durationMs: 55 });
    text = tickCheckboxes(text);
    const migration = parseText(text);
    expect(migration.checksum).toBe(checksum);
    expect(migration.header?.approvals[0]?.checksum).toBe(checksum);
    expect(migration.header?.executions.map((record) => [record.env, record.line])).toEqual([
      ['local', 18],
      ['staging', 19],
    ]);
    expect(migration.header?.checkboxes.filter((box) => box.state === 'open')).toEqual([]);
    expect(migration.body).toBe(parseText(template).body);
  });
});
