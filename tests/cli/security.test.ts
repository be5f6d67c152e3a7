/**
 * Issue 6, item 6, end to end: server-side execution no longer passes. A complete, well-formed
 * migration whose only problem is `COPY ... TO PROGRAM` is refused by lint, approve and migrate,
 * and the command never runs.
 */

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CliWorkspace, cleanupWorkspaces, demoFile, readDemo, splitHeader } from '../support/cli-workspace.js';

const scratch = mkdtempSync(join(tmpdir(), 'pgwarden-security-'));
const MARKER = join(scratch, 'pwned');
const FILE = 'migration_history/2025-10-01_20_export_documents.sql';

beforeAll(() => assertBuilt());
afterAll(() => {
  cleanupWorkspaces();
  rmSync(scratch, { recursive: true, force: true });
});

/** Demo file 19's complete header (re-dated, approvals dropped) over `body`. */
function migration(body: string): string {
  const { header } = splitHeader(readDemo(demoFile(19)));
  return `${header.replace('-- Date: 2025-09-09', '-- Date: 2025-10-01').replace(/^-- APPROVED:.*\n/gm, '')}\n\n${body}\n`;
}

describe('COPY ... TO PROGRAM in a migration', () => {
  it('is a lint error, cannot be approved, and is refused by migrate: the command never runs', async () => {
    const ws = new CliWorkspace();
    ws.write(FILE, migration(`COPY (SELECT id FROM public.clinical_notes) TO PROGRAM 'touch ${MARKER}';`));

    const lint = await ws.run(['lint', '--format', 'json', FILE]);
    expect(lint.code).toBe(1);
    const findings = JSON.parse(lint.stdout) as { rule: string; severity: string }[];
    expect(findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule)).toEqual(['copy-program']);

    const approve = await ws.run(['approve', FILE, '--by', 'alice']);
    expect(approve.code).toBe(1);
    expect(approve.stderr).toContain('(copy-program)');
    expect(ws.read(FILE)).not.toContain('-- APPROVED:');

    const migrate = await ws.run(['migrate'], { timeoutMs: 180_000 });
    expect(migrate.code, migrate.all).not.toBe(0);
    expect(migrate.all).toMatch(/refused\s+migration_history\/2025-10-01_20_export_documents\.sql: has lint errors.*\(copy-program\)/);
    expect(existsSync(MARKER)).toBe(false);
    ws.cleanup();
  });
});
