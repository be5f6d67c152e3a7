/**
 * Compiles core's db/, runner/ and migration/ (and what they import) to plain JavaScript in a
 * temporary directory, for tests that run the runner in a child process (SIGKILL). The
 * output gets a node_modules link to the workspace's, so `pg` and PGlite resolve. Type
 * errors elsewhere in the package do not block the emit.
 */

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const coreSrc = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const workspaceRoot = resolve(coreSrc, '../../..');

export interface BuiltCore {
  dir: string;
  cleanup(): void;
}

export function buildCoreForChildProcess(): BuiltCore {
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-core-build-'));
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(coreSrc, '..', 'tsconfig.json'),
      compilerOptions: {
        rootDir: coreSrc,
        outDir: join(dir, 'out'),
        composite: false,
        declaration: false,
        incremental: false,
        tsBuildInfoFile: null,
        sourceMap: false,
        noEmitOnError: false,
      },
      files: ['runner/index.ts', 'db/index.ts', 'migration/index.ts'].map((f) => join(coreSrc, f)),
      include: [],
    }),
  );
  const tsc = join(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', tsconfig], { stdio: 'pipe' });
  } catch {
    // type errors still emit; the check below decides
  }
  const out = join(dir, 'out');
  if (!existsSync(join(out, 'runner', 'index.js'))) {
    throw new Error(`building core for the child process failed: no ${join(out, 'runner', 'index.js')}`);
  }
  symlinkSync(join(workspaceRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // The config validator is generated JavaScript beside src/ (packages/core/generated): the same
  // relative place beside out/.
  cpSync(join(coreSrc, '..', 'generated'), join(dir, 'generated'), { recursive: true });
  return { dir: out, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
