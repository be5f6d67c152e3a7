import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import { lint } from '../lint/engine.js';
import { header, runRule } from './__fixtures__/run-rule.js';
import type { Finding } from './types.js';

const RULE = 'executed-immutable';

const BODY = `
-- Durée de traitement en minutes → tableau de bord
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;

UPDATE public.documents
   SET processing_time_minutes = round(extract(epoch FROM processed_at - uploaded_at) / 60)
 WHERE processing_time_minutes IS NULL AND processed_at IS NOT NULL;

-- VERIFY: SELECT count(*) = 0 FROM public.documents WHERE processing_time_minutes IS NULL AND processed_at IS NOT NULL
`;

const NOT_EXECUTED = header();
const EXECUTED = header().replace(
  '--   [ ] Not yet executed\n',
  '--   [X] staging 2025-10-08 by joão (388 ms)\n--   [X] production 2025-10-09 by maria (412 ms)\n',
);

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('executed-immutable', () => {
  it('accepts header-only edits of an executed migration (ticking boxes, recording runs)', async () => {
    const previous = `${EXECUTED}${BODY}`;
    const current = `${EXECUTED.replace('[N/A] TypeScript', '[X] TypeScript').replace('(388 ms)', '(388 ms)\n--   [X] demo 2025-10-10 by zoë (401 ms)')}${BODY}`;
    expect(await runRule(RULE, current, { previousText: previous })).toEqual([]);
  });

  it('accepts line-ending and trailing-blank-line differences', async () => {
    const previous = `${EXECUTED}${BODY}`;
    const current = `${EXECUTED}${BODY}\n\n`.replace(/\n/g, '\r\n');
    expect(await runRule(RULE, current, { previousText: previous })).toEqual([]);
  });

  it('accepts any change to a migration not executed yet, and a file with no previous version', async () => {
    const changed = `${NOT_EXECUTED}${BODY.replace('integer', 'numeric(8,2)')}`;
    expect(await runRule(RULE, changed, { previousText: `${NOT_EXECUTED}${BODY}` })).toEqual([]);
    expect(await runRule(RULE, `${EXECUTED}${BODY}`)).toEqual([]);
  });

  it('reports a changed SQL body at the first changed line, naming where it was executed', async () => {
    const current = `${EXECUTED}${BODY.replace('processing_time_minutes integer', 'processing_time_minutes numeric(8,2)')}`;
    const findings = await runRule(RULE, current, { previousText: `${EXECUTED}${BODY}` });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', line: at(current, 'ALTER TABLE').line, column: 1 });
    expect(findings[0].message).toBe(
      'this migration was executed on staging 2025-10-08, on production 2025-10-09 but its SQL changed: line ' +
        `${at(current, 'ALTER TABLE').line} differs from the executed version (was: "ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;")`,
    );
    expect(findings[0].hint).toContain('executed migrations are append-only');
    expect(findings[0].hint).toContain('pgwarden new <slug>');
  });

  it('spells out an invisible character of the quoted line instead of printing it', async () => {
    const previous = `${EXECUTED}${BODY.replace('processing_time_minutes integer', 'processing_time_minutes\u200b integer')}`;
    const findings = await runRule(RULE, `${EXECUTED}${BODY}`, { previousText: previous });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('processing_time_minutes<U+200B> integer');
    expect(findings[0]!.message).not.toContain('\u200b');
  });

  it('judges the body even when the header also changed length, and when the executions were removed', async () => {
    const previous = `${EXECUTED}${BODY}`;
    const current = `${NOT_EXECUTED.replace('-- SOLUTION: Add a column and backfill it.\n', '-- SOLUTION:\n--   Add a column,\n--   then backfill it.\n')}${BODY}-- oops, one more statement\nDELETE FROM public.documents WHERE deleted_at IS NOT NULL;\n`;
    const findings = await runRule(RULE, current, { previousText: previous });
    expect(findings).toHaveLength(1);
    expect(findings[0].line).toBe(at(current, '-- oops').line);
  });

  it('reports a pgwarden directive added to an executed migration', async () => {
    const current = `-- pgwarden:no-transaction\n${EXECUTED}${BODY}`;
    const findings = await runRule(RULE, current, { previousText: `${EXECUTED}${BODY}` });
    expect(findings).toHaveLength(1);
    expect(findings[0].line).toBe(1);
    expect(findings[0].message).toBe(
      'this migration was executed on staging 2025-10-08, on production 2025-10-09 but its pgwarden directives changed (they are part of its checksum)',
    );
  });
});

describe('executed-immutable: renamed and moved files (lint --since compares with where the file was)', () => {
  const DEFAULT = '2025-10-08_18_add_processing_time_minutes.sql';

  it('reports an executed migration renamed to another slug or version, naming the old path, even with its SQL unchanged', async () => {
    for (const [fileName, previousRelPath] of [
      [DEFAULT.replace('add_processing_time_minutes', 'add_processing_minutes'), `migration_history/${DEFAULT}`],
      [DEFAULT, 'migration_history/2025-10-07_17_add_processing_time_minutes.sql'],
    ]) {
      const text = `${EXECUTED}${BODY}`;
      const findings = await runRule(RULE, text, { fileName, previousText: text, previousRelPath });
      expect(findings.map((finding) => [finding.rule, finding.severity, finding.line, finding.message])).toEqual([
        [
          RULE,
          'error',
          1,
          `this migration was executed on staging 2025-10-08, on production 2025-10-09 and was renamed from ${previousRelPath}: its version and name identify it in the databases' history, which would no longer match the files`,
        ],
      ]);
      expect(findings[0]!.hint).toContain(`git mv migration_history/${fileName} ${previousRelPath}`);
    }
  });

  it('accepts a move into a sub-folder under the same name, and renaming a migration that never ran', async () => {
    const moved = `${EXECUTED}${BODY}`;
    expect(await runRule(RULE, moved, { fileName: `2025/${DEFAULT}`, previousText: moved, previousRelPath: `migration_history/${DEFAULT}` })).toEqual([]);
    const draft = `${NOT_EXECUTED}${BODY}`;
    expect(await runRule(RULE, draft, { previousText: draft, previousRelPath: 'migration_history/2025-10-08_18_add_processing_minutes.sql' })).toEqual([]);
  });

  it('a rename that also changes the SQL gets both findings', async () => {
    const current = `${EXECUTED}${BODY.replace('integer', 'bigint')}`;
    const findings = await runRule(RULE, current, { previousText: `${EXECUTED}${BODY}`, previousRelPath: 'migration_history/2025-10-08_18_add_processing_minutes.sql' });
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringContaining('and was renamed from migration_history/2025-10-08_18_add_processing_minutes.sql'),
      expect.stringContaining('but its SQL changed'),
    ]);
  });
});

describe('executed-immutable: deleted files (lint --since passes a path that is gone)', () => {
  const fileName = '2025-10-08_18_add_processing_time_minutes.sql';

  async function lintDeleted(previous: string, alsoOnDisk?: string): Promise<Finding[]> {
    const root = mkdtempSync(join(tmpdir(), 'pgwarden-deleted-'));
    try {
      mkdirSync(join(root, 'migration_history', 'archive'), { recursive: true });
      if (alsoOnDisk) writeFileSync(join(root, 'migration_history', 'archive', fileName), alsoOnDisk);
      const gone = join(root, 'migration_history', fileName);
      const { findings } = await lint(defaultConfig(root), { paths: [gone], previousText: new Map([[gone, previous]]) });
      return findings;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it('reports an executed migration that was deleted, naming where it ran', async () => {
    const findings = await lintDeleted(EXECUTED + BODY);
    expect(findings.map((f) => [f.rule, f.line, f.severity])).toEqual([[RULE, 1, 'error']]);
    expect(findings[0].message).toBe(
      'this migration was executed on staging 2025-10-08, on production 2025-10-09 and is deleted: the history in the databases would no longer match the files',
    );
  });

  it('accepts deleting a migration that never ran, and moving an executed one (same name elsewhere in the history)', async () => {
    expect(await lintDeleted(NOT_EXECUTED + BODY)).toEqual([]);
    expect(await lintDeleted(EXECUTED + BODY, EXECUTED + BODY)).toEqual([]);
  });
});
