/**
 * What earlier migrations (in version order) create, read once per migration file and cached, so
 * that linting every file of a long history stays linear in the number of files per lookup instead
 * of re-reading every earlier file for every file.
 */
import { compareMigrations, sortHistory } from '../../migration/history-order.js';
import type { Migration } from '../../migration/types.js';
import type { RuleContext } from '../types.js';

const CREATE_TABLE = /\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:(?:"([^"]+)"|([\w$]+))\s*\.\s*)?(?:"([^"]+)"|([\w$]+))/gi;
const CREATE_INDEX = /\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?("?)([\w$]+)\1\s+ON\s+(?:ONLY\s+)?((?:"?[\w$]+"?\s*\.\s*)?"?[\w$]+"?)/gi;

interface Facts {
  /** `schema.name` of the tables the file creates (temporary ones excluded by the pattern). */
  tables: Set<string>;
  /** Index key `schema.index` -> table key `schema.table`. */
  indexes: Map<string, string>;
}

const factsCache = new WeakMap<Migration, Facts>();
const sortedCache = new WeakMap<readonly Migration[], Migration[]>();

/** Tables and indexes a text creates, read from its CREATE TABLE / CREATE INDEX statements. */
export function createdInText(text: string): Facts {
  const tables = new Set<string>();
  for (const match of text.matchAll(CREATE_TABLE)) {
    tables.add(`${match[1] ?? match[2]?.toLowerCase() ?? 'public'}.${match[3] ?? match[4]!.toLowerCase()}`);
  }
  const indexes = new Map<string, string>();
  for (const match of text.matchAll(CREATE_INDEX)) {
    const table = match[3]!.replace(/["\s]/g, '');
    const schema = table.includes('.') ? table.slice(0, table.indexOf('.')) : 'public';
    indexes.set(`${schema}.${match[2]}`, `${schema}.${table.slice(table.indexOf('.') + 1)}`);
  }
  return { tables, indexes };
}

export function factsOf(migration: Migration): Facts {
  let facts = factsCache.get(migration);
  if (!facts) {
    facts = createdInText(migration.text);
    factsCache.set(migration, facts);
  }
  return facts;
}

/** The migrations before this one in version order (the history is sorted once per lint run). */
export function earlierMigrations(context: RuleContext): Migration[] {
  let sorted = sortedCache.get(context.history);
  if (!sorted) {
    sorted = sortHistory(context.history);
    sortedCache.set(context.history, sorted);
  }
  // Binary search: the first migration that does not run before this one.
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareMigrations(sorted[middle]!, context.migration) < 0) low = middle + 1;
    else high = middle;
  }
  return sorted.slice(0, low).filter((other) => other.relPath !== context.migration.relPath);
}
