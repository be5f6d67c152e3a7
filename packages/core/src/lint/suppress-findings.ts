/**
 * `-- pgwarden-ignore rule -- reason` for findings that come from a database (check, lint --deep):
 * the comment goes above the statement that creates the object (a CREATE FUNCTION, a CREATE
 * TABLE), in the schema or migration file the finding points into. An ignore without a reason
 * silences nothing, so the finding stays visible until someone writes down why.
 */
import { resolve } from 'node:path';
import { readSourceFile } from '../migration/read-source-file.js';
import type { Finding } from '../rules/types.js';
import { loadParser, parseSql } from '../sql/index.js';
import { collectSuppressions, isSuppressed, type Suppression } from './suppressions.js';

export async function withoutSuppressed<T extends Pick<Finding, 'file' | 'line' | 'rule'>>(findings: T[], readText: (file: string) => string | undefined): Promise<T[]> {
  await loadParser();
  const byFile = new Map<string, Suppression[]>();
  const suppressionsOf = (file: string): Suppression[] => {
    let found = byFile.get(file);
    if (!found) {
      const text = readText(file);
      found = text === undefined || !text.includes('pgwarden-ignore') ? [] : collectSuppressions(text, parseSql(text).statements).filter((suppression) => suppression.reason);
      byFile.set(file, found);
    }
    return found;
  };
  return findings.filter((finding) => !isSuppressed(suppressionsOf(finding.file), finding.rule, finding.line));
}

/** A finding's file (workspace-relative) read as lint reads it: nothing outside the workspace, nothing binary. */
export function workspaceText(root: string): (file: string) => string | undefined {
  return (file) => {
    const source = readSourceFile(resolve(root, file), { root });
    return source.ok ? source.text : undefined;
  };
}
