/**
 * Files are read only inside the workspace (issue 6, item 7): a committed migration that is a
 * symbolic link to a file outside the workspace is a readable-file error, and nothing of the
 * target reaches any output format.
 */

import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CliWorkspace, cleanupWorkspaces } from '../support/cli-workspace.js';

const SECRET = 'prod-db.internal:5432:*:clinic_admin:Zq8-SECRET-pgpass-7731';
const LINK = 'migration_history/2025-10-05_24_x.sql';

const outside = mkdtempSync(join(tmpdir(), 'pgwarden-outside-'));
const target = join(outside, '.pgpass');

beforeAll(() => {
  assertBuilt();
  // Looks like SQL on line 1 so that a code frame, were one printed, would show it.
  writeFileSync(target, `${SECRET}\nSELECT 1;\n`);
});
afterAll(() => {
  cleanupWorkspaces();
  rmSync(outside, { recursive: true, force: true });
});

function linkedWorkspace(): CliWorkspace {
  const ws = new CliWorkspace();
  symlinkSync(target, ws.path(LINK));
  return ws;
}

describe.concurrent('a migration that is a symbolic link to a file outside the workspace', () => {
  it.each(['stylish', 'json', 'github', 'sarif'])('%s: a readable-file error, exit 1, nothing of the target printed', async (format) => {
    const ws = linkedWorkspace();
    for (const args of [['lint', '--format', format], ['lint', '--format', format, LINK]]) {
      const result = await ws.run(args);
      expect(result.code).toBe(1);
      expect(result.all).toContain('readable-file');
      expect(result.all).toContain('2025-10-05_24_x.sql is a symbolic link that resolves outside the workspace');
      expect(result.all).not.toContain('SECRET');
      expect(result.all).not.toContain('clinic_admin');
      expect(result.all).not.toContain(outside);
    }
  });

  it('json: exactly one finding for the link, an error on line 1', async () => {
    const ws = linkedWorkspace();
    const result = await ws.run(['lint', '--format', 'json', LINK]);
    const findings = JSON.parse(result.stdout) as { file: string; rule: string; severity: string; line: number }[];
    expect(findings.filter((finding) => finding.file === LINK)).toEqual([
      expect.objectContaining({ file: LINK, rule: 'readable-file', severity: 'error', line: 1 }),
    ]);
  });

  it('stays an error when readable-file is configured as a warning', async () => {
    const ws = linkedWorkspace();
    const config = JSON.parse(ws.read('pgwarden.config.json')) as { rules?: Record<string, string> };
    ws.write('pgwarden.config.json', JSON.stringify({ ...config, rules: { ...config.rules, 'readable-file': 'warning' } }));
    const result = await ws.run(['lint', LINK]);
    expect(result.code).toBe(1);
    expect(result.all).not.toContain('SECRET');
  });

  it('approve refuses it without reading or writing the target', async () => {
    const ws = linkedWorkspace();
    const result = await ws.run(['approve', LINK, '--by', 'alice']);
    expect(result.code).toBe(1);
    expect(result.all).not.toContain('SECRET');
    expect(result.all).toContain('not approved');
  });

  it('a current_schema file linked outside the workspace is never read: references to it say so', async () => {
    const ws = new CliWorkspace();
    unlinkSync(ws.path('current_schema/04_ai_processing.sql'));
    symlinkSync(target, ws.path('current_schema/04_ai_processing.sql'));
    for (const format of ['stylish', 'json', 'github', 'sarif']) {
      const result = await ws.run(['lint', '--format', format]);
      expect(result.code, format).toBe(1);
      expect(result.all).toContain('source-of-truth file current_schema/04_ai_processing.sql is a symbolic link that resolves outside the workspace');
      expect(result.all).not.toContain('SECRET');
      expect(result.all).not.toContain('clinic_admin');
    }
  });

  it('status lists it as unreadable (never silently dropped), exit 1, nothing of the target printed', async () => {
    const ws = linkedWorkspace();
    const result = await ws.run(['status'], { timeoutMs: 180_000 });
    expect(result.code, result.all).toBe(1);
    expect(result.stderr).toContain(`pgwarden: ${LINK} is a symbolic link that resolves outside the workspace`);
    expect(result.all).not.toContain('SECRET');
    const json = await ws.run(['status', '--json'], { timeoutMs: 180_000 });
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { state: string; relPath: string }[]).filter((row) => row.state === 'unreadable')).toEqual([
      expect.objectContaining({ state: 'unreadable', relPath: LINK }),
    ]);
    expect(json.all).not.toContain('SECRET');
  });
});

