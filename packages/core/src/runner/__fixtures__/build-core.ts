/**
 * The compiled core for tests that run the runner in a child process (SIGKILL): the package's own
 * build output (packages/core/dist), which `npm test` builds first, as the CLI suites use the built
 * binary. Compiling a private copy per test file took 15 s of `tsc` each; instead every source file
 * is checked to be no newer than its compiled file, so the child never runs stale code.
 */

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const coreSrc = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const coreDist = resolve(coreSrc, '../dist');

export interface BuiltCore {
  dir: string;
  cleanup(): void;
}

/** core's shipped sources: what `tsc -b` compiles (tests and fixtures excluded). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Source files whose compiled file is missing or older than the source. `tsc -b` leaves the output of
 * a touched but unchanged file alone and stamps its build info instead, so either may be the newer.
 */
export function staleBuildFiles(src = coreSrc, dist = coreDist): string[] {
  const buildInfo = join(dist, '.tsbuildinfo');
  const built = existsSync(buildInfo) ? statSync(buildInfo).mtimeMs : 0;
  return sourceFiles(src).filter((file) => {
    const compiled = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
    if (!existsSync(compiled)) return true;
    const edited = statSync(file).mtimeMs;
    return statSync(compiled).mtimeMs < edited && built < edited;
  });
}

export function buildCoreForChildProcess(): BuiltCore {
  const stale = staleBuildFiles();
  if (stale.length > 0) {
    throw new Error(
      `packages/core/dist is older than ${relative(coreSrc, stale[0])}${stale.length > 1 ? ` and ${stale.length - 1} other source file(s)` : ''}: build first (npx tsc -b packages/core, or npm test, which builds)`,
    );
  }
  return { dir: coreDist, cleanup: () => {} };
}
