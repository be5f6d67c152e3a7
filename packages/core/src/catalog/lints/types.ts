import { ruleDocsPath, type Severity } from '../../rules/types.js';
import type { ObjectId } from '../identity.js';
import type { CatalogSnapshot } from '../types.js';

export type CatalogLintCategory = 'security' | 'performance';

export interface CatalogLintMeta {
  /** Kebab-case id; also the base name of `catalog/lints/<id>.ts`, its test and docs/rules/<id>.md. */
  id: string;
  category: CatalogLintCategory;
  defaultSeverity: Severity;
  /** One line: what the lint checks. */
  description: string;
  /** Postgres major versions the lint applies to; omitted means all. */
  postgres?: { min?: number; max?: number };
  /** Repository-relative path of the documentation page: ruleDocsPath(id). */
  docs: string;
}

/** What a catalog lint may read besides the snapshot (settings of pgwarden.config.json). */
export interface CatalogLintContext {
  /** Schemas exposed through the API (config `exposedSchemas`). */
  readonly exposedSchemas: readonly string[];
}

/** What a lint returns: the object at fault, what is wrong and what to do. */
export interface CatalogLintResult {
  object: ObjectId;
  message: string;
  hint: string;
}

export interface CatalogLint {
  meta: CatalogLintMeta;
  check(snapshot: CatalogSnapshot, context: CatalogLintContext): CatalogLintResult[];
}

/** A lint result with its lint id and configured severity. */
export interface CatalogFinding extends CatalogLintResult {
  rule: string;
  severity: Severity;
}

/** What a lint file declares: its meta without the derived docs path, and its check. */
export type CatalogLintDefinition = Omit<CatalogLintMeta, 'docs'> & Pick<CatalogLint, 'check'>;

/** A catalog lint from its id, meta and check; the docs path is derived from the id (the file's base name). */
export function defineCatalogLint({ check, ...meta }: CatalogLintDefinition): CatalogLint {
  return { meta: { ...meta, docs: ruleDocsPath(meta.id) }, check };
}
