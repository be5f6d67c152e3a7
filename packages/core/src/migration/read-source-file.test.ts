import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8Byte, readSourceFile } from './read-source-file.js';

const dir = mkdtempSync(join(tmpdir(), 'pgwarden-read-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readSourceFile', () => {
  it('reads UTF-8 text with non-ASCII characters and drops a BOM', () => {
    expect(readSourceFile(file('ok.sql', '-- é → ✓\nSELECT 1;\n'))).toEqual({ ok: true, text: '-- é → ✓\nSELECT 1;\n', byteOrderMark: false });
    expect(readSourceFile(file('bom.sql', '\uFEFFSELECT 1;\r\n'))).toEqual({ ok: true, text: 'SELECT 1;\r\n', byteOrderMark: true });
  });

  it('refuses a file with a NUL byte as binary, naming the line', () => {
    expect(readSourceFile(file('binary.sql', Buffer.from('SELECT 1;\n\n\u0000\u0001', 'latin1')))).toEqual({
      ok: false,
      reason: 'binary',
      message: 'contains a NUL byte (line 3), so it looks like a binary file, not SQL',
      line: 3,
    });
  });

  it('refuses invalid UTF-8, naming the line of the first bad byte', () => {
    const latin1 = Buffer.concat([Buffer.from('-- ok\n-- still ok\n-- caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(readSourceFile(file('latin1.sql', latin1))).toEqual({
      ok: false,
      reason: 'invalid-utf8',
      message: 'is not valid UTF-8 (first bad byte at line 3); save it as UTF-8',
      line: 3,
    });
  });

  it('refuses a directory, even one named like a migration', () => {
    const path = join(dir, 'x.sql');
    mkdirSync(path);
    expect(readSourceFile(path)).toEqual({ ok: false, reason: 'not-a-file', message: 'is a directory, not a file' });
  });

  it('reports a missing file as unreadable', () => {
    expect(readSourceFile(join(dir, 'missing.sql'))).toEqual({ ok: false, reason: 'missing', message: 'does not exist' });
    expect(readSourceFile(join(dir, 'ok.sql', 'child.sql'))).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('refuses a file over the limit without reading it', () => {
    const path = file('big.sql', 'x'.repeat(2048));
    expect(readSourceFile(path, 1024)).toEqual({
      ok: false,
      reason: 'too-large',
      message: 'is 2.0 KiB, larger than the 1.0 KiB limit for a migration or schema file',
    });
    expect(readSourceFile(path, 2048)).toMatchObject({ ok: true });
  });

  it('has a 5 MiB default limit', () => {
    const path = file('six-mib.sql', Buffer.alloc(6 * 1024 * 1024, 0x20));
    expect(readSourceFile(path)).toEqual({
      ok: false,
      reason: 'too-large',
      message: 'is 6.0 MiB, larger than the 5.0 MiB limit for a migration or schema file',
    });
  });
});

describe('firstInvalidUtf8Byte', () => {
  const offset = (...bytes: number[]) => firstInvalidUtf8Byte(Uint8Array.from(bytes));

  it('returns the length for valid input', () => {
    expect(firstInvalidUtf8Byte(new TextEncoder().encode('a é → 😀'))).toBe(13);
  });

  it('finds stray continuation bytes, truncated sequences, overlongs, surrogates and out-of-range code points', () => {
    expect(offset(0x61, 0x80)).toBe(1);
    expect(offset(0x61, 0xe2, 0x86)).toBe(1);
    expect(offset(0xc0, 0xaf)).toBe(0);
    expect(offset(0x61, 0xe0, 0x80, 0xaf)).toBe(1);
    expect(offset(0xed, 0xa0, 0x80)).toBe(0);
    expect(offset(0xf4, 0x90, 0x80, 0x80)).toBe(0);
    expect(offset(0xff)).toBe(0);
  });

  it('agrees with TextDecoder on random input', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let round = 0; round < 500; round++) {
      const bytes = Uint8Array.from({ length: 8 }, () => Math.floor(Math.random() * 256));
      let valid = true;
      try {
        decoder.decode(bytes);
      } catch {
        valid = false;
      }
      expect(firstInvalidUtf8Byte(bytes) === bytes.length, Buffer.from(bytes).toString('hex')).toBe(valid);
    }
  });
});

describe('readSourceFile with the workspace root', () => {
  const outside = mkdtempSync(join(tmpdir(), 'pgwarden-outside-'));
  const root = mkdtempSync(join(tmpdir(), 'pgwarden-root-'));
  afterAll(() => {
    rmSync(outside, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });
  const secret = join(outside, 'pgpass');
  writeFileSync(secret, 'db.internal:5432:*:admin:s3cr3t-PASSWORD\n');
  mkdirSync(join(root, 'migration_history/linked'), { recursive: true });
  writeFileSync(join(root, 'migration_history/2025-10-04_23_ok.sql'), 'SELECT 1;\n');

  it('refuses a symbolic link that resolves outside the workspace, without reading it', () => {
    const link = join(root, 'migration_history/2025-10-05_24_x.sql');
    symlinkSync(secret, link);
    const result = readSourceFile(link, { root });
    expect(result).toEqual({
      ok: false,
      reason: 'outside-workspace',
      message: 'is a symbolic link that resolves outside the workspace, so it was not read (pgwarden reads only files inside the workspace)',
    });
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
    expect(JSON.stringify(result)).not.toContain(outside);
    // Without a root (callers that read their own fixtures), the link is followed.
    expect(readSourceFile(link)).toMatchObject({ ok: true });
  });

  it('refuses a file under a symlinked folder that leads outside, and a path outside the workspace', () => {
    symlinkSync(outside, join(root, 'migration_history/elsewhere'), 'dir');
    expect(readSourceFile(join(root, 'migration_history/elsewhere/pgpass'), { root })).toMatchObject({ ok: false, reason: 'outside-workspace' });
    expect(readSourceFile(secret, { root })).toMatchObject({ ok: false, reason: 'outside-workspace', message: expect.stringMatching(/^is outside the workspace/) });
  });

  it('accepts files inside the workspace, and a symbolic link to another file inside it', () => {
    expect(readSourceFile(join(root, 'migration_history/2025-10-04_23_ok.sql'), { root })).toEqual({ ok: true, text: 'SELECT 1;\n', byteOrderMark: false });
    symlinkSync(join(root, 'migration_history/2025-10-04_23_ok.sql'), join(root, 'migration_history/linked/2025-10-06_25_alias.sql'));
    expect(readSourceFile(join(root, 'migration_history/linked/2025-10-06_25_alias.sql'), { root })).toEqual({ ok: true, text: 'SELECT 1;\n', byteOrderMark: false });
  });

  it('reports a dangling link as missing', () => {
    const link = join(root, 'migration_history/2025-10-07_26_gone.sql');
    symlinkSync(join(outside, 'nothing-here'), link);
    expect(readSourceFile(link, { root })).toMatchObject({ ok: false, reason: 'missing' });
  });
});
