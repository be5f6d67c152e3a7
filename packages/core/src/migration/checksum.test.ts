import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeChecksum, normaliseBody } from './checksum.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const none = { noTransaction: false };

describe('computeChecksum', () => {
  it('hashes the documented canonical text', () => {
    expect(computeChecksum('\nSELECT 1;\n', none)).toBe(sha256('pgwarden-checksum-v1\n\n---\n\nSELECT 1;'));
    expect(computeChecksum('SELECT 1;', { noTransaction: true, lockTimeout: '5s' })).toBe(
      sha256('pgwarden-checksum-v1\nlock-timeout=5s\nno-transaction=1\n---\nSELECT 1;'),
    );
  });

  it('is a stable known value (changing it voids every recorded approval)', () => {
    expect(computeChecksum('ALTER TABLE patients ADD COLUMN IF NOT EXISTS nickname text;\n', none)).toBe(
      sha256('pgwarden-checksum-v1\n\n---\nALTER TABLE patients ADD COLUMN IF NOT EXISTS nickname text;'),
    );
  });

  it('ignores line endings and trailing whitespace at the end of the file', () => {
    const lf = '\nCREATE TABLE t (id int);\n-- note é →\n';
    expect(computeChecksum(lf.replace(/\n/g, '\r\n'), none)).toBe(computeChecksum(lf, none));
    expect(computeChecksum(lf.replace(/\n/g, '\r'), none)).toBe(computeChecksum(lf, none));
    expect(computeChecksum(`${lf}\n\n  \t\n`, none)).toBe(computeChecksum(lf, none));
  });

  it('changes with any other change, including comments, inner whitespace and directives', () => {
    const body = '\nCREATE TABLE t (id int);\n';
    const base = computeChecksum(body, none);
    expect(computeChecksum(body.replace('int', 'bigint'), none)).not.toBe(base);
    expect(computeChecksum(`${body}-- a comment\n`, none)).not.toBe(base);
    expect(computeChecksum(body.replace('(id', '( id'), none)).not.toBe(base);
    expect(computeChecksum(`\n${body}`, none)).not.toBe(base);
    expect(computeChecksum(body, { noTransaction: true })).not.toBe(base);
    expect(computeChecksum(body, { noTransaction: false, lockTimeout: '5s' })).not.toBe(
      computeChecksum(body, { noTransaction: false, lockTimeout: '6s' }),
    );
  });
});

describe('normaliseBody', () => {
  it('turns CRLF and CR into LF and trims the end only', () => {
    expect(normaliseBody('\r\n  a\r\nb\rc  \r\n\r\n')).toBe('\n  a\nb\nc');
  });
});
