import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTempFiles, writeFileAtomically } from './write-atomically.js';

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

  it('removeStaleTempFiles removes only the temporary files of writers that are gone', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = `.2025-10-08_18_add_x.sql.${deadPid}.0a1b2c3d.tmp`;
    const live = `.2025-10-08_18_add_x.sql.${process.pid}.0a1b2c3d.tmp`;
    const lookalikes = ['2025-10-08_18_add_x.sql', `.notes.txt.${deadPid}.0a1b2c3d.tmp`, `.x.sql.${deadPid}.nothex00.tmp`];
    for (const name of [stale, live, ...lookalikes]) writeFileSync(join(dir, name), 'x');
    expect(await removeStaleTempFiles(dir)).toEqual([stale]);
    expect(readdirSync(dir).sort()).toEqual([live, ...lookalikes].sort());
    expect(await removeStaleTempFiles(join(dir, 'missing'))).toEqual([]);
  });
});
