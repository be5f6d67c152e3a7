/**
 * The order test files start in: longest first, so that the two workers finish together.
 *
 * Vitest orders by the durations of the previous run (node_modules/.vite/vitest/.../results.json),
 * which a clean clone (CI) does not have: it then starts the largest files first, and a short file of
 * slow tests (the Nx end-to-end suite, the impact golden files) could start last and run alone at the
 * end. Files without a local duration take the one recorded in test-durations.json (refresh it with
 * `node tools/ci/save-test-durations.mjs` after a full run); files in neither run first, as vitest
 * runs unknown files first. Failed files of the previous run still run first.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const RECORDED: Record<string, number> = JSON.parse(readFileSync(new URL('./test-durations.json', import.meta.url), 'utf8')).seconds;

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const known = (spec: TestSpecification) => {
      const path = relative(root, spec.moduleId).split('\\').join('/');
      const local = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path}`);
      const seconds = local ? local.duration / 1000 : RECORDED[path];
      return { failed: local?.failed === true, seconds: seconds ?? Number.POSITIVE_INFINITY };
    };
    const keys = new Map(files.map((spec) => [spec, known(spec)]));
    return [...files].sort((a, b) => {
      const ka = keys.get(a)!;
      const kb = keys.get(b)!;
      if (ka.failed !== kb.failed) return ka.failed ? -1 : 1;
      if (ka.seconds === kb.seconds) return 0;
      return kb.seconds > ka.seconds ? 1 : -1;
    });
  }
}
