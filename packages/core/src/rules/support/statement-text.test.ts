import { describe, expect, it } from 'vitest';
import { firstLine, insertAfter, oneLine } from './statement-text.js';

describe('statement text helpers', () => {
  it('inserts a clause after the leading keywords, skipping comments', () => {
    expect(insertAfter('-- note\nCREATE UNIQUE INDEX i ON t (a)', /CREATE\s+(?:UNIQUE\s+)?INDEX\s+/, 'IF NOT EXISTS ')).toBe('CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a)');
    expect(insertAfter('ALTER TABLE t ADD x int', /CREATE\s+/, 'OR REPLACE ')).toBeUndefined();
  });

  it('keeps the first line only, cut at the limit', () => {
    expect(firstLine('CREATE TABLE t (\n  a int\n)')).toBe('CREATE TABLE t (');
    expect(firstLine(`SELECT ${'x'.repeat(200)}`, 20)).toBe('SELECT xxxxxxxxxx...');
  });

  it('puts the whole statement on one line, without leading comments', () => {
    expect(oneLine('/* why */ -- note\nCREATE TABLE t (\n  a int\n)')).toBe('CREATE TABLE t ( a int )');
  });
});
