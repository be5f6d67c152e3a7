/**
 * Where each object the build created is defined, keyed by catalog/identity.ts keys. Function
 * keys come from the built database (`schema.name(argtypes)` as format_type prints them, with
 * search_path = pg_catalog so that every other schema is written out).
 */
import { compareCodePoints, functionKey, memberKey, qualifiedKey } from '../catalog/identity.js';
import type { DbSession } from '../db/types.js';
import { locateBody } from '../sql/plpgsql.js';
import { quoteIdent } from '../sql/quote.js';
import type { CreateFunctionStmt } from 'libpg-query';
import { nodeOf, nodesOf, optionNamed, stringOf } from '../sql/nodes.js';
import type { DefinedObject } from './definitions.js';
import type { OrderedStatement } from './schema-files.js';
import type { SourceMapEntry } from './types.js';

const IN_MODES = new Set<string | undefined>(['FUNC_PARAM_IN', 'FUNC_PARAM_INOUT', 'FUNC_PARAM_VARIADIC', 'FUNC_PARAM_DEFAULT']);

/** `to_regprocedure` input for a CREATE FUNCTION: its name and IN argument types as written; undefined for `%TYPE` arguments. */
export function regprocedureSignature(node: CreateFunctionStmt): string | undefined {
  const names = (node.funcname ?? []).map((item) => stringOf(item) ?? '');
  const types: string[] = [];
  for (const parameter of nodesOf(node.parameters, 'FunctionParameter')) {
    if (!IN_MODES.has(parameter.mode)) continue;
    const type = parameter.argType;
    if (type?.pct_type) return undefined;
    const typeNames = (type?.names ?? []).map((item) => stringOf(item) ?? '');
    types.push(typeNames.map(quoteIdent).join('.') + '[]'.repeat((type?.arrayBounds ?? []).length));
  }
  return `${names.map(quoteIdent).join('.')}(${types.join(', ')})`;
}

/** Collects entries as statements succeed; functions are keyed once the build is over. */
export class SourceMapBuilder {
  private readonly entries = new Map<string, SourceMapEntry>();
  /** Function definitions resolved to an oid right after they ran, keyed later. */
  private readonly functions: { oid: number; entry: Omit<SourceMapEntry, 'key'> }[] = [];

  /** Records what a statement that just succeeded defined; a later definition replaces an earlier one unless IF NOT EXISTS. */
  async record(at: OrderedStatement, objects: readonly DefinedObject[], session: DbSession): Promise<void> {
    for (const object of objects) {
      const entry: Omit<SourceMapEntry, 'key'> = { kind: object.kind, file: at.file.relPath, line: object.position.line, column: object.position.column };
      if (object.kind === 'function' && object.functionNode) {
        const oid = await resolveFunction(session, object.functionNode);
        if (oid !== undefined) this.functions.push({ oid, entry: { ...entry, ...bodyLineOf(at, object) } });
        continue;
      }
      const key = object.table ? memberKey(object.table, object.name) : object.kind === 'schema' || object.kind === 'extension' ? object.name : qualifiedKey(object.schema, object.name);
      const id = `${object.kind}\u0000${key}`;
      if (object.ifNotExists && this.entries.has(id)) continue;
      this.entries.set(id, { key, ...entry });
    }
  }

  /** The entries of objects that exist at the end of the build, ordered by key then kind. */
  async finish(session: DbSession): Promise<SourceMapEntry[]> {
    const result = [...this.entries.values()];
    if (this.functions.length > 0) {
      await session.exec('BEGIN');
      try {
        await session.exec('SET LOCAL search_path = pg_catalog');
        const { rows } = await session.query<{ oid: string; schema: string; name: string; args: string }>(
          `SELECT p.oid::text AS oid, n.nspname AS schema, p.proname AS name,
                  coalesce((SELECT string_agg(format_type(t, NULL), ', ' ORDER BY i) FROM unnest(p.proargtypes) WITH ORDINALITY AS u(t, i)), '') AS args
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.oid = ANY($1::oid[])`,
          [this.functions.map((fn) => fn.oid)],
        );
        const byOid = new Map(rows.map((row) => [Number(row.oid), row]));
        const functionEntries = new Map<string, SourceMapEntry>();
        for (const { oid, entry } of this.functions) {
          const row = byOid.get(oid);
          if (!row) continue; // dropped later in the schema
          const key = functionKey(row.schema, row.name, row.args === '' ? [] : [row.args]);
          functionEntries.set(key, { key, ...entry });
        }
        result.push(...functionEntries.values());
      } finally {
        await session.exec('COMMIT');
      }
    }
    const existing = await existingKeys(session, result);
    return result
      .filter((entry) => existing.has(`${entry.kind}\u0000${entry.key}`))
      .sort((a, b) => compareCodePoints(a.key, b.key) || compareCodePoints(a.kind, b.kind));
  }
}

/** The oid of the function a CREATE FUNCTION made; inside a savepoint, so a bad lookup cannot abort the build. */
async function resolveFunction(session: DbSession, node: CreateFunctionStmt): Promise<number | undefined> {
  await session.exec('SAVEPOINT pgwarden_resolve');
  try {
    const oid = await lookupFunction(session, node);
    await session.exec('RELEASE SAVEPOINT pgwarden_resolve');
    return oid;
  } catch {
    await session.exec('ROLLBACK TO SAVEPOINT pgwarden_resolve; RELEASE SAVEPOINT pgwarden_resolve');
    return undefined;
  }
}

async function lookupFunction(session: DbSession, node: CreateFunctionStmt): Promise<number | undefined> {
  const signature = regprocedureSignature(node);
  if (signature) {
    const { rows } = await session.query<{ oid: string | null }>('SELECT to_regprocedure($1)::oid::text AS oid', [signature]);
    if (rows[0]?.oid) return Number(rows[0].oid);
  }
  // %TYPE arguments: the one function of that name and argument count.
  const names = (node.funcname ?? []).map((item) => stringOf(item) ?? '');
  const argumentCount = (node.parameters ?? []).filter((p) => IN_MODES.has(nodeOf(p, 'FunctionParameter')?.mode)).length;
  const { rows } = await session.query<{ oid: string }>(
    `SELECT p.oid::text AS oid FROM pg_proc p
      WHERE p.proname = $1 AND p.pronargs = $2
        AND p.pronamespace = coalesce(to_regnamespace($3)::oid, (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))`,
    [names[names.length - 1], argumentCount, names.length > 1 ? quoteIdent(names[0]!) : null],
  );
  return rows.length === 1 ? Number(rows[0]!.oid) : undefined;
}

/** The file line where the body literal's content starts: body line N is file line bodyLine + N - 1. */
function bodyLineOf(at: OrderedStatement, object: DefinedObject): { bodyLine?: number } {
  const option = optionNamed(object.functionNode?.options, 'as');
  const source = stringOf(nodeOf(option?.arg, 'List')?.items?.[0]);
  if (typeof source !== 'string' || !at.statement.locate) return {};
  const from = typeof option?.location === 'number' ? at.statement.locate(option.location).offset : at.statement.range.start.offset;
  const span = locateBody(at.file.text, from, at.statement.range.end.offset + 1, source);
  if (!span) return {};
  const line = at.file.text.slice(0, span.start).split('\n').length;
  return { bodyLine: line };
}

/** Which entries' objects exist in the built database (members count when their table does). */
async function existingKeys(session: DbSession, entries: readonly SourceMapEntry[]): Promise<Set<string>> {
  const relations = new Set<string>();
  const types = new Set<string>();
  for (const entry of entries) {
    if (['table', 'view', 'materialized_view', 'sequence', 'index'].includes(entry.kind)) relations.add(entry.key);
    else if (['column', 'constraint', 'policy', 'trigger'].includes(entry.kind)) relations.add(entry.key.split('.').slice(0, 2).join('.'));
    else if (['enum', 'domain', 'composite_type'].includes(entry.kind)) types.add(entry.key);
  }
  const quote = (key: string) => key.split('.').map(quoteIdent).join('.');
  const { rows } = await session.query<{ key: string; kind: string }>(
    `SELECT r AS key, 'relation' AS kind FROM unnest($1::text[]) WITH ORDINALITY AS u(r, i) WHERE to_regclass(($2::text[])[i]) IS NOT NULL
     UNION ALL SELECT t, 'type' FROM unnest($3::text[]) WITH ORDINALITY AS u(t, i) WHERE to_regtype(($4::text[])[i]) IS NOT NULL
     UNION ALL SELECT nspname, 'schema' FROM pg_namespace
     UNION ALL SELECT extname, 'extension' FROM pg_extension`,
    [[...relations], [...relations].map(quote), [...types], [...types].map(quote)],
  );
  const found = new Set(rows.map((row) => `${row.kind}\u0000${row.key}`));
  const existing = new Set<string>();
  for (const entry of entries) {
    const id = `${entry.kind}\u0000${entry.key}`;
    if (entry.kind === 'function') existing.add(id);
    else if (entry.kind === 'schema' || entry.kind === 'extension') found.has(`${entry.kind}\u0000${entry.key}`) && existing.add(id);
    else if (['enum', 'domain', 'composite_type'].includes(entry.kind)) found.has(`type\u0000${entry.key}`) && existing.add(id);
    else if (['column', 'constraint', 'policy', 'trigger'].includes(entry.kind)) found.has(`relation\u0000${entry.key.split('.').slice(0, 2).join('.')}`) && existing.add(id);
    else found.has(`relation\u0000${entry.key}`) && existing.add(id);
  }
  return existing;
}
