/** Writes real migration files (header, directives, approvals, VERIFY) into a temp workspace and parses them. */

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMigration } from '../../migration/index.js';
import type { Migration } from '../../migration/types.js';

export interface MigrationSpec {
  /** Base name, e.g. `2025-01-01_01_create_accounts.sql`. */
  file: string;
  body: string;
  noTransaction?: boolean;
  lockTimeout?: string;
  statementTimeout?: string;
  /** `-- VERIFY:` query written after the body. */
  verify?: string;
  /** Reviewers whose approval matches the body's checksum. */
  approvedBy?: string[];
  /** Reviewers whose approval is for another checksum (voided). */
  staleApprovalBy?: string[];
  /** Execution records in the header. */
  executedIn?: string[];
}

export class Workspace {
  readonly root: string;
  readonly dir: string;

  constructor(prefix = 'pgwarden-runner-') {
    this.root = mkdtempSync(join(tmpdir(), prefix));
    this.dir = join(this.root, 'migration_history');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Writes the files (replacing same-named ones) and returns the whole history, parsed. */
  write(...specs: MigrationSpec[]): Migration[] {
    for (const spec of specs) writeFileSync(join(this.dir, spec.file), renderMigration(spec));
    return this.load();
  }

  /** Replaces text in one file. */
  edit(file: string, from: string, to: string): Migration[] {
    const path = join(this.dir, file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    writeFileSync(path, text.replace(from, to));
    return this.load();
  }

  remove(file: string): Migration[] {
    rmSync(join(this.dir, file));
    return this.load();
  }

  read(file: string): string {
    return readFileSync(join(this.dir, file), 'utf8');
  }

  load(): Migration[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => parseMigration({ path: join(this.dir, f), relPath: `migration_history/${f}`, text: readFileSync(join(this.dir, f), 'utf8') }));
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

const RULE = '-- ============================================================================';

export function renderMigration(spec: MigrationSpec): string {
  const date = spec.file.slice(0, 10);
  const title = spec.file.replace(/^\d{4}-\d{2}-\d{2}_\d+_/, '').replace(/\.sql$/, '').replace(/_/g, ' ');
  const header = [
    RULE,
    `-- Migration: ${title}`,
    `-- Date: ${date}`,
    '-- Issue: test',
    ...(spec.noTransaction ? ['-- pgwarden:no-transaction'] : []),
    ...(spec.lockTimeout ? [`-- pgwarden:lock-timeout ${spec.lockTimeout}`] : []),
    ...(spec.statementTimeout ? [`-- pgwarden:statement-timeout ${spec.statementTimeout}`] : []),
    '--',
    `-- PROBLEM: ${title}`,
    '-- SOLUTION: the SQL below',
    '-- AFFECTED TABLES: test',
    '--',
    '-- MIGRATION EXECUTED:',
    ...(spec.executedIn ?? []).map((env) => `--   [X] ${env} ${date} by tester (10 ms)`),
    '--   [ ] Not yet executed',
  ];
  const body = `\n${spec.body.trim()}\n${spec.verify ? `\n-- VERIFY: ${spec.verify}\n` : ''}`;
  const draft = [...header, RULE, body].join('\n');
  const checksum = parseMigration({ path: `/x/${spec.file}`, relPath: spec.file, text: draft }).checksum;
  const approvals = [
    ...(spec.approvedBy ?? []).map((by) => `-- APPROVED: ${by} ${date} sha256:${checksum}`),
    ...(spec.staleApprovalBy ?? []).map((by) => `-- APPROVED: ${by} ${date} sha256:${'ab'.repeat(32)}`),
  ];
  return [...header, ...approvals, RULE, body].join('\n');
}
