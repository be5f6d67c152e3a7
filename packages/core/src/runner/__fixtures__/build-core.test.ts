import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleBuildFiles } from './build-core.js';

describe('staleBuildFiles (the child-process suites run packages/core/dist only when it is current)', () => {
  let root: string;
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pgwarden-build-core-'));
    for (const dir of ['src/runner', 'src/runner/__fixtures__', 'dist/runner']) mkdirSync(join(root, dir), { recursive: true });
    for (const file of ['src/runner/a.ts', 'src/runner/a.test.ts', 'src/runner/__fixtures__/b.ts', 'dist/runner/a.js']) writeFileSync(join(root, file), '');
    at(join(root, 'src/runner/a.ts'), 1000);
    at(join(root, 'dist/runner/a.js'), 2000);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is empty when every shipped source has a compiled file at least as new (tests and fixtures are not shipped)', () => {
    expect(staleBuildFiles(join(root, 'src'), join(root, 'dist'))).toEqual([]);
  });

  it('names a source edited after its compiled file, and one never compiled', () => {
    at(join(root, 'src/runner/a.ts'), 3000);
    writeFileSync(join(root, 'src/runner/new.ts'), '');
    expect(staleBuildFiles(join(root, 'src'), join(root, 'dist'))).toEqual([join(root, 'src/runner/a.ts'), join(root, 'src/runner/new.ts')]);
  });

  it('accepts a touched but unchanged source when the build info is newer (tsc -b stamps it instead of re-emitting)', () => {
    at(join(root, 'src/runner/a.ts'), 3000);
    writeFileSync(join(root, 'dist/.tsbuildinfo'), '');
    at(join(root, 'dist/.tsbuildinfo'), 4000);
    expect(staleBuildFiles(join(root, 'src'), join(root, 'dist'))).toEqual([]);
  });
});
