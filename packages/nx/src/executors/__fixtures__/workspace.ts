/**
 * A real Nx-shaped workspace in a temporary folder for executor tests: a copy of a core fixture
 * (migrations, current_schema/, config) as the project `packages/database`, the ExecutorContext Nx
 * would pass for one of its targets, and the executor's terminal output.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ExecutorContext, TargetConfiguration } from '@nx/devkit';
import { vi } from 'vitest';

const CORE_FIXTURES = resolve(import.meta.dirname, '../../../../core/src/impact/__fixtures__');
export const PROJECT_ROOT = 'packages/database';

export class FixtureWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'pgwarden-nx-executor-'));

  constructor(fixture: 'plan' | 'deep', private readonly targets: Record<string, TargetConfiguration>) {
    writeFileSync(join(this.root, 'package.json'), '{"name":"fixture","private":true}');
    cpSync(join(CORE_FIXTURES, fixture), join(this.root, PROJECT_ROOT), { recursive: true });
  }

  /** Workspace-relative path of a file of the project. */
  path(rel: string): string {
    return `${PROJECT_ROOT}/${rel}`;
  }

  context(targetName: string): ExecutorContext {
    return {
      root: this.root,
      cwd: this.root,
      isVerbose: false,
      projectName: 'database',
      targetName,
      target: this.targets[targetName],
      projectsConfigurations: { version: 2, projects: { database: { root: PROJECT_ROOT, targets: this.targets } } },
      nxJsonConfiguration: {},
      projectGraph: { nodes: {}, dependencies: {} },
    } as ExecutorContext;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Runs an executor with stdout and the console captured. */
export async function captured<T>(run: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (stdout += `${args.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void (stderr += `${args.join(' ')}\n`));
  try {
    return { result: await run(), stdout, stderr };
  } finally {
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}
