import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from './write-atomically.js';

describe('writeFileAtomically', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the text, keeps the file mode and leaves no temporary file behind', async () => {
    const path = join(dir, '2025-10-08_18_add_x.sql');
    writeFileSync(path, 'old → text\n');
    chmodSync(path, 0o640);
    await writeFileAtomically(path, 'new → text\n');
    expect(readFileSync(path, 'utf8')).toBe('new → text\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['2025-10-08_18_add_x.sql']);
  });

  it('fails for a file that does not exist, creating nothing', async () => {
    await expect(writeFileAtomically(join(dir, 'gone.sql'), 'x')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
