import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import { parseMigration } from '../migration/index.js';
import type { Migration } from '../migration/types.js';
import { pendingLintGate } from './gate.js';

const header = (date: string) => `-- ============================================================================
-- Migration: Add a note to visits
-- Date: ${date}
-- Issue: Clinicians need free-text notes
--
-- PROBLEM: There is nowhere to write a note.
-- SOLUTION: Add a nullable text column.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [N/A] No schema file in this test workspace
--
-- DOWNSTREAM UPDATES:
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- ============================================================================
`;

describe('pendingLintGate', () => {
  let root: string;
  let history: Migration[];
  const add = (name: string, text: string) => {
    const path = join(root, 'migration_history', name);
    writeFileSync(path, text);
    const migration = parseMigration({ path, relPath: `migration_history/${name}`, text });
    history.push(migration);
    return migration;
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pgwarden-gate-'));
    mkdirSync(join(root, 'migration_history'));
    history = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('returns the error findings of pending files only, as file:line:col message (rule)', async () => {
    const applied = add('2025-01-01_01_bad_but_applied.sql', `${header('2025-01-01')}\nBEGIN;\nALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;\nCOMMIT;\n`);
    const good = add('2025-01-02_02_add_visit_note.sql', `${header('2025-01-02')}\nALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;\n`);
    const bad = add('2025-01-03_03_create_visit_tags.sql', `${header('2025-01-03')}\nCREATE TABLE public.visit_tags (id bigint PRIMARY KEY);\n`);
    const gate = pendingLintGate(defaultConfig(root), history);

    const verdicts = await gate([good, bad]);
    expect([...verdicts.keys()]).toEqual([bad.relPath]);
    const messages = verdicts.get(bad.relPath)!;
    expect(messages).toContain(
      'migration_history/2025-01-03_03_create_visit_tags.sql:20:1 CREATE TABLE public.visit_tags without IF NOT EXISTS fails when the migration runs a second time (idempotent-create)',
    );
    expect(messages.some((message) => message.endsWith('(rls-on-new-table)'))).toBe(true);
    expect(verdicts.has(applied.relPath)).toBe(false);
  });

  it('asks once per set of pending files and answers an empty set without linting', async () => {
    const good = add('2025-01-02_02_add_visit_note.sql', `${header('2025-01-02')}\nALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;\n`);
    const gate = pendingLintGate(defaultConfig(root), history);
    const first = await gate([good]);
    expect(await gate([good])).toBe(first);
    expect((await gate([])).size).toBe(0);
  });
});
