import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeChecksum } from './checksum.js';
import { parseMigration } from './parse-migration.js';
import {
  APPROVED_FIXTURE,
  EXECUTED_FIXTURE,
  NO_HEADER_FIXTURE,
  UNCLOSED_FIXTURE,
  fixtureText,
  parseFixture,
  parseText,
  toCrlf,
} from './__fixtures__/fixtures.js';

describe('parseMigration on an executed migration wrapped in BEGIN/COMMIT', () => {
  const text = fixtureText(EXECUTED_FIXTURE);
  const migration = parseFixture(EXECUTED_FIXTURE);

  it('keeps paths and text and parses the name', () => {
    expect(migration.path).toBe(`/repo/migration_history/${EXECUTED_FIXTURE}`);
    expect(migration.relPath).toBe(`migration_history/${EXECUTED_FIXTURE}`);
    expect(migration.text).toBe(text);
    expect(migration.name.version).toBe('2025-10-08_18');
  });

  it('starts the body on the line after the closing rule', () => {
    expect(migration.header?.endLine).toBe(38);
    expect(migration.bodyStartLine).toBe(39);
    expect(migration.bodyOffset).toBe(text.indexOf('\n\nBEGIN;') + 1);
    expect(migration.body).toBe(text.slice(migration.bodyOffset));
    expect(migration.body.startsWith('\nBEGIN;\n')).toBe(true);
    expect(migration.checksum).toBe(computeChecksum(migration.body, migration.directives));
  });

  it('finds the verification query and the rollback in the body', () => {
    expect(migration.verification).toEqual({
      sql: "SELECT count(*) = 1\nFROM information_schema.columns\nWHERE table_name = 'encounter_documents' AND column_name = 'processing_time_minutes';",
      line: 50,
    });
    expect(migration.verifications).toEqual([migration.verification]);
    expect(migration.rollback).toEqual({ text: 'ALTER TABLE encounter_documents DROP COLUMN IF EXISTS processing_time_minutes;', line: 54, textLine: 55 });
    expect(migration.rollbackHeadingLine).toBe(54);
    expect(migration.directives).toEqual({ noTransaction: false });
    expect(migration.directiveProblems).toEqual([]);
  });

  it('parses the CRLF version to the same lines and the same checksum', () => {
    const crlf = parseText(toCrlf(text));
    expect(crlf.checksum).toBe(migration.checksum);
    expect(crlf.bodyStartLine).toBe(39);
    expect(crlf.header).toEqual(migration.header);
    expect(crlf.verification).toEqual(migration.verification);
    expect(crlf.rollback).toEqual(migration.rollback);
    expect(crlf.body).toBe(toCrlf(migration.body));
  });
});

describe('checksum stability', () => {
  const text = fixtureText(APPROVED_FIXTURE);
  const original = parseText(text, APPROVED_FIXTURE).checksum;
  const checksumOf = (edited: string) => {
    expect(edited).not.toBe(text);
    return parseText(edited, APPROVED_FIXTURE).checksum;
  };

  it('ignores header edits: ticks, records, approvals, prose, line endings', () => {
    expect(checksumOf(text.replace('[ ] production', '[X] production 2025-10-11 by bob (9000 ms)'))).toBe(original);
    expect(checksumOf(text.replace('[N/A] Bridge', '[X] Bridge'))).toBe(original);
    expect(checksumOf(text.replace('-- APPROVED: dr.smith', '-- APPROVED: carol 2025-10-10 sha256:' + 'e'.repeat(64) + '\n-- APPROVED: dr.smith'))).toBe(original);
    expect(checksumOf(text.replace('sequentially.', 'sequentially (é → ✓).'))).toBe(original);
    expect(checksumOf(toCrlf(text))).toBe(original);
    expect(checksumOf(`${text}\n\n`)).toBe(original);
  });

  it('changes with any body edit: SQL, a comment, the verification query', () => {
    expect(checksumOf(text.replace('created_at DESC', 'created_at'))).not.toBe(original);
    expect(checksumOf(text.replace('-- ROLLBACK:', '-- ROLLBACK (tested):'))).not.toBe(original);
    expect(checksumOf(text.replace("indexname = 'idx", "indexname =  'idx"))).not.toBe(original);
  });

  it('changes with a directive, although directives sit in the header', () => {
    expect(checksumOf(text.replace('lock-timeout 5s', 'lock-timeout 10s'))).not.toBe(original);
    expect(checksumOf(text.replace('-- pgwarden:no-transaction\n', ''))).not.toBe(original);
  });
});

describe('parseMigration on the other shapes', () => {
  it('reads directives from the header', () => {
    const migration = parseFixture(APPROVED_FIXTURE);
    expect(migration.directives).toEqual({ noTransaction: true, lockTimeout: '5s', statementTimeout: '2min' });
    expect(migration.header?.startLine).toBe(2);
    expect(migration.bodyStartLine).toBe(28);
    expect(migration.rollback).toEqual({ text: 'DROP INDEX CONCURRENTLY IF EXISTS idx_encounter_documents_patient;', line: 34, textLine: 36 });
  });

  it('lints a header-less file: whole text as body, directives from its first comment block', () => {
    const migration = parseFixture(NO_HEADER_FIXTURE);
    expect(migration.header).toBeUndefined();
    expect(migration.body).toBe(migration.text);
    expect(migration.bodyStartLine).toBe(1);
    expect(migration.bodyOffset).toBe(0);
    expect(migration.directives).toEqual({ noTransaction: false, lockTimeout: '3s' });
    expect(migration.directiveProblems).toEqual([
      { message: 'This pgwarden directive is in the body, where it has no effect; move it into the header block.', line: 6 },
    ]);
  });

  it('ends an unclosed header at its last consecutive comment line', () => {
    const migration = parseFixture(UNCLOSED_FIXTURE);
    expect(migration.header).toMatchObject({ startLine: 1, endLine: 4, title: 'Unclosed header' });
    expect(migration.header?.closingRuleLine).toBeUndefined();
    expect(migration.bodyStartLine).toBe(5);
    expect(migration.body.startsWith('\n-- Rollback Script (if needed)\n')).toBe(true);
    expect(migration.rollback).toBeUndefined();
    expect(migration.rollbackHeadingLine).toBe(6);
  });

  it('handles a header that ends the file without a final newline', () => {
    const migration = parseText(`-- ${'='.repeat(20)}\n-- Migration: x\n-- ${'='.repeat(20)}`);
    expect(migration.body).toBe('');
    expect(migration.bodyStartLine).toBe(4);
    expect(migration.bodyOffset).toBe(migration.text.length);
  });

  it('tolerates a byte order mark', () => {
    const text = fixtureText(EXECUTED_FIXTURE);
    const migration = parseText(`\uFEFF${text}`);
    expect(migration.header?.title).toBe('Add processing_time_minutes to encounter_documents');
    expect(migration.checksum).toBe(parseText(text).checksum);
  });

  it('parses an empty file and a badly named one', () => {
    const migration = parseMigration({ path: '/repo/migration_history/notes.txt', relPath: 'migration_history/notes.txt', text: '' });
    expect(migration.header).toBeUndefined();
    expect(migration.body).toBe('');
    expect(migration.name.problems.length).toBeGreaterThan(0);
    expect(migration.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('parseMigration never throws', () => {
  const rule = `-- ${'='.repeat(20)}\n`;
  const seeds = [fixtureText(EXECUTED_FIXTURE), fixtureText(APPROVED_FIXTURE), fixtureText(NO_HEADER_FIXTURE)];

  it('on random bytes, truncations and splices of real files', () => {
    let random = 0x2545f491;
    const next = (limit: number) => {
      random = (random * 1103515245 + 12345) >>> 0;
      return random % limit;
    };
    for (let round = 0; round < 1500; round++) {
      const seed = seeds[round % seeds.length]!;
      const cut = next(seed.length);
      const candidates = [
        randomBytes(next(4096)).toString('latin1'),
        randomBytes(next(4096)).toString('utf8'),
        seed.slice(0, cut),
        seed.slice(cut) + seed.slice(0, cut),
        seed.slice(0, cut) + randomBytes(16).toString('latin1') + seed.slice(cut),
        rule + seed.slice(cut),
      ];
      for (const text of candidates) expect(() => parseText(text)).not.toThrow();
    }
  });

  // Growth, not a wall-clock limit: one parse of 8x the text against eight parses of the text, the
  // same amount of text either way. Linear costs about 1x, quadratic 8x; the limit of 3x leaves room
  // for a busy neighbour's noise, which hits both sides alike. The 10 MB figures are in tools/bench/header.mjs.
  const shapes: Record<string, (size: number) => string> = {
    'random bytes': (size) => randomBytes(size).toString('latin1'),
    'real files repeated': (size) => fixtureText(EXECUTED_FIXTURE).repeat(Math.ceil(size / fixtureText(EXECUTED_FIXTURE).length)),
    'one source-of-truth line': (size) => `${rule}-- SOURCE OF TRUTH SCHEMA UPDATED: ${'[X]a.sql (Line 1, '.repeat(size / 20)}\n`,
    'source-of-truth bullets': (size) =>
      `${rule}-- SOURCE OF TRUTH SCHEMA UPDATED:\n${'--   [X] 03_core.sql (Lines 12-40, 55: table x; Line 7: y)\n'.repeat(size / 58)}`,
    'one line-range run': (size) => `${rule}-- SOURCE OF TRUTH SCHEMA UPDATED: a.sql (Line 1${', 1'.repeat(size / 3)}\n`,
    'one execution line of boxes': (size) => `${rule}-- MIGRATION EXECUTED: ${'[X]'.repeat(size / 3)}\n`,
    'execution records': (size) => `${rule}-- MIGRATION EXECUTED:\n${'--   [X] production 2025-10-11 by bob (9000 ms)\n'.repeat(size / 48)}`,
    'one line of spaces': (size) => `${rule}-- ${' '.repeat(size)}x\n`,
    'a long rollback': (size) => `-- Rollback\n/*\n${'DROP TABLE t;\n'.repeat(size / 14)}`,
  };
  // CPU time of this process, not wall time: on a loaded machine, waiting for a core is not work.
  const timeParses = (text: string, times: number) => {
    const started = process.cpuUsage();
    for (let i = 0; i < times; i++) expect(parseText(text).checksum).toMatch(/^[0-9a-f]{64}$/);
    const used = process.cpuUsage(started);
    return used.user + used.system;
  };
  it.each(Object.keys(shapes))('in time linear in size: %s', (shape) => {
    const size = 128 * 1024;
    const small = shapes[shape]!(size);
    const large = shapes[shape]!(8 * size);
    timeParses(small, 1); // warm-up: compile the parser's paths before timing
    // Interleaved, fastest of five each: a stray collection or cache miss hits both sides alike.
    let bestSmall = Infinity;
    let bestLarge = Infinity;
    for (let run = 0; run < 5; run++) {
      bestSmall = Math.min(bestSmall, timeParses(small, 8));
      bestLarge = Math.min(bestLarge, timeParses(large, 1));
    }
    expect(bestLarge / bestSmall).toBeLessThan(3);
  });
});

describe('parseMigration of text that starts with a byte order mark (read with readFileSync, or from git)', () => {
  it('drops the mark: same text, body and checksum as readSourceFile gives, also without a header', () => {
    for (const fixture of [EXECUTED_FIXTURE, NO_HEADER_FIXTURE]) {
      const text = fixtureText(fixture);
      const plain = parseMigration({ path: `/w/${fixture}`, relPath: fixture, text });
      const marked = parseMigration({ path: `/w/${fixture}`, relPath: fixture, text: `\uFEFF${text}` });
      expect(marked.text).toBe(text);
      expect(marked.body).toBe(plain.body);
      expect(marked.checksum).toBe(plain.checksum);
    }
  });
});
