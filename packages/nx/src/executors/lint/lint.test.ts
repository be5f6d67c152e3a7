/**
 * The lint executor on a real fixture workspace (the impact fixture as `packages/database`): the
 * inferred target's `deep` adds the shadow proofs of the pending migrations to lint's findings;
 * without it (the `shallow` configuration) they are absent.
 */
import { readFileSync } from 'node:fs';
import type { TargetConfiguration } from '@nx/devkit';
import { combineOptionsForExecutor } from 'nx/src/utils/params';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captured, FixtureWorkspace } from '../__fixtures__/workspace.js';
import lintExecutor from './lint.js';

const TARGETS: Record<string, TargetConfiguration> = {
  lint: { executor: '@pgwarden/nx:lint', cache: true, options: { deep: true }, configurations: { shallow: { deep: false } } },
};
const NICKNAME = 'migration_history/2025-10-02_02_add_nickname.sql';

let ws: FixtureWorkspace;
beforeAll(() => {
  ws = new FixtureWorkspace('plan', TARGETS);
});
afterAll(() => ws.remove());

interface JsonFinding {
  file: string;
  line: number;
  rule: string;
}

describe('@pgwarden/nx:lint', () => {
  it('shallow: the convention rules only, and no word about a shadow (near miss of the deep run)', async () => {
    const { stdout, stderr } = await captured(() => lintExecutor({ format: 'json', deep: false }, ws.context('lint')));
    const rules = (JSON.parse(stdout) as JsonFinding[]).map((finding) => finding.rule);
    expect(rules).not.toContain('deep-not-idempotent');
    expect(stderr).not.toContain('deep:');
  });

  it('deep: the pending migrations are proved on the shadow, merged in position order, and the task fails on the deep error', async () => {
    const { result, stdout, stderr } = await captured(() => lintExecutor({ format: 'json', deep: true }, ws.context('lint')));
    const findings = JSON.parse(stdout) as JsonFinding[];
    expect(findings).toContainEqual(expect.objectContaining({ file: NICKNAME, line: 10, rule: 'deep-not-idempotent' }));
    const positions = findings.map((finding) => [finding.file, finding.line] as const);
    expect(positions).toEqual([...positions].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]));
    expect(stderr).toContain('deep: 2 migration(s) applied to a shadow of current_schema');
    expect(result).toEqual({ success: false });
  });
});

describe('options, as Nx combines and validates them for `nx run`', () => {
  const schema = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8'));
  const combine = (commandLine: Parameters<typeof combineOptionsForExecutor>[0], configuration = '') => combineOptionsForExecutor(commandLine, configuration, TARGETS.lint!, schema, 'database', '');

  it('the inferred target is deep; its shallow configuration and --deep=false are not', () => {
    expect(combine({}).deep).toBe(true);
    expect(combine({}, 'shallow').deep).toBe(false);
    expect(combine({ deep: 'false' }).deep).toBe(false);
    expect(() => combine({ engine: 'fast' })).toThrow(/engine/);
  });
});
