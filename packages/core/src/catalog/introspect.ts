/**
 * Reads a database (real server or PGlite) into a CatalogSnapshot with one catalog query
 * (introspect-query.ts) plus two tiny ones that pin and restore search_path. Everything is
 * ordered here, in JavaScript, by semantic keys with code-point comparison.
 */
import type { DbSession } from '../db/types.js';
import { compareCodePoints, functionKey, memberKey, qualifiedKey } from './identity.js';
import { INTROSPECT_QUERY } from './introspect-query.js';
import {
  CATALOG_SNAPSHOT_VERSION,
  type CatalogSnapshot,
  type ColumnInfo,
  type CompositeTypeInfo,
  type ConstraintInfo,
  type DomainInfo,
  type EnumInfo,
  type FunctionArgument,
  type FunctionInfo,
  type GrantInfo,
  type IndexInfo,
  type PolicyInfo,
  type SequenceInfo,
  type TableInfo,
  type TriggerInfo,
  type ViewInfo,
} from './types.js';

export interface IntrospectOptions {
  /**
   * Schemas left out, e.g. the ones a preset owns (`PRESET_SCHEMAS.supabase`). System schemas
   * (`pg_*`, `information_schema`) are always left out. Default: `['pgwarden']` (the history).
   */
  excludeSchemas?: readonly string[];
  /** Only these schemas; named here, a schema is read even when `excludeSchemas` lists it. */
  includeSchemas?: readonly string[];
}

/** Schemas a preset creates and owns: its objects are the platform's, not the user's schema. */
export const PRESET_SCHEMAS: Readonly<Record<'supabase' | 'none', readonly string[]>> = {
  supabase: ['auth', 'extensions', 'storage'],
  none: [],
};

/** pg_get_function_sqlbody (BEGIN ATOMIC bodies) arrived in PostgreSQL 14. */
const MIN_SERVER_VERSION = 140000;

/** pgwarden's own history schema in a migrated database. */
export const DEFAULT_EXCLUDED_SCHEMAS: readonly string[] = ['pgwarden'];

type Grants = [string, string][] | null;

interface RawSnapshot {
  serverVersionNum: number;
  schemas: { name: string; owner: string; comment: string | null; grants: Grants }[];
  extensions: { name: string; schema: string; version: string }[];
  relations: {
    oid: number;
    schema: string;
    name: string;
    relkind: 'r' | 'p' | 'f' | 'v' | 'm' | 'S';
    owner: string;
    comment: string | null;
    options: string[] | null;
    rlsEnabled: boolean;
    rlsForced: boolean;
    partitionKey: string | null;
    partitionBound: string | null;
    partitionOf: string | null;
    definition: string | null;
    updatableMask: number | null;
    sequenceType: string | null;
    ownedBy: string | null;
    grants: Grants;
  }[];
  columns: {
    rel: number;
    name: string;
    attnum: number;
    type: string;
    typeName: string;
    elementTypeName: string | null;
    arrayDimensions: number;
    notNull: boolean;
    identity: string;
    generatedKind: string;
    expression: string | null;
    collation: string | null;
    comment: string | null;
    updatable: boolean | null;
  }[];
  constraints: {
    rel: number;
    typ: number;
    name: string;
    contype: string;
    definition: string;
    columns: string[] | null;
    referencedTable: string | null;
    referencedColumns: string[] | null;
    validated: boolean;
    deferrable: boolean;
    inherited: boolean;
  }[];
  indexes: {
    rel: number;
    name: string;
    definition: string;
    unique: boolean;
    primary: boolean;
    valid: boolean;
    predicate: string | null;
    columns: (string | null)[] | null;
  }[];
  triggers: { rel: number; name: string; definition: string; functionSchema: string; functionName: string; functionArguments: string[]; enabled: boolean }[];
  policies: { rel: number; name: string; command: string; permissive: boolean; roles: string[] | null; using: string | null; withCheck: string | null }[];
  argumentTypes: [number, string][];
  functions: {
    schema: string;
    name: string;
    prokind: string;
    identityArguments: string;
    /** name, format_type, proargmodes letter, type oid (a key into argumentTypes) */
    arguments: [string, string, string, number][];
    defaults: number;
    returns: string | null;
    returnsSet: boolean;
    rows: number | null;
    returnTypeName: string;
    language: string;
    volatility: string;
    securityDefiner: boolean;
    strict: boolean;
    config: string[] | null;
    bodyHash: string;
    owner: string;
    comment: string | null;
    grants: Grants;
  }[];
  types: {
    typ: number;
    schema: string;
    name: string;
    typtype: 'e' | 'd' | 'c';
    comment: string | null;
    labels: string[] | null;
    baseType: string | null;
    baseTypeName: string | null;
    notNull: boolean;
    default: string | null;
    attributes: [string, string, string][] | null;
  }[];
}

/**
 * Introspects the database the session is connected to. Pins search_path to pg_catalog for the
 * query so that every user object prints schema-qualified, then restores the session's path.
 */
export async function introspectCatalog(session: DbSession, options: IntrospectOptions = {}): Promise<CatalogSnapshot> {
  const include = [...(options.includeSchemas ?? [])];
  const exclude = [...(options.excludeSchemas ?? DEFAULT_EXCLUDED_SCHEMAS)];
  const saved = await session.query<{ path: string; version: string }>(
    "SELECT current_setting('search_path') AS path, current_setting('server_version_num') AS version, set_config('search_path', 'pg_catalog', false)",
  );
  const version = Number(saved.rows[0]!.version);
  if (version < MIN_SERVER_VERSION) {
    await session.query("SELECT set_config('search_path', $1, false)", [saved.rows[0]!.path]);
    throw new Error(`catalog introspection needs PostgreSQL 14 or later; the database runs ${Math.floor(version / 10000)} (server_version_num ${version})`);
  }
  let text: string;
  try {
    const result = await session.query<{ snapshot: string }>(INTROSPECT_QUERY, [include, exclude]);
    text = result.rows[0]!.snapshot;
  } finally {
    await session.query("SELECT set_config('search_path', $1, false)", [saved.rows[0]!.path]);
  }
  return buildSnapshot(JSON.parse(text) as RawSnapshot);
}

const byKey = <T extends { key: string }>(items: T[]): T[] => items.sort((a, b) => compareCodePoints(a.key, b.key));
const sortedStrings = (items: readonly string[] | null | undefined): string[] => [...(items ?? [])].sort(compareCodePoints);

/** Optional properties are left out rather than set to undefined, so JSON round trips are exact. */
function optional<K extends string, V>(name: K, value: V | null | undefined): { [P in K]?: V } {
  return value === null || value === undefined ? {} : ({ [name]: value } as { [P in K]?: V });
}

function grantsOf(list: Grants): GrantInfo[] {
  const byGrantee = new Map<string, Set<string>>();
  for (const [grantee, privilege] of list ?? []) {
    let set = byGrantee.get(grantee);
    if (!set) byGrantee.set(grantee, (set = new Set()));
    set.add(privilege);
  }
  return [...byGrantee]
    .map(([grantee, privileges]) => ({ grantee, privileges: [...privileges].sort(compareCodePoints) }))
    .sort((a, b) => compareCodePoints(a.grantee, b.grantee));
}

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const id = key(item);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = []));
    group.push(item);
  }
  return groups;
}

const CONSTRAINT_TYPES: Record<string, ConstraintInfo['type']> = {
  p: 'primary_key',
  u: 'unique',
  f: 'foreign_key',
  c: 'check',
  x: 'exclusion',
  t: 'trigger',
};
const IDENTITIES: Record<string, ColumnInfo['identity']> = { a: 'always', d: 'by_default' };
const POLICY_COMMANDS: Record<string, PolicyInfo['command']> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };
const ARGUMENT_MODES: Record<string, FunctionArgument['mode']> = { i: 'in', o: 'out', b: 'inout', v: 'variadic', t: 'table' };
const FUNCTION_KINDS: Record<string, FunctionInfo['kind']> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };
const VOLATILITIES: Record<string, FunctionInfo['volatility']> = { i: 'immutable', s: 'stable', v: 'volatile' };

export function buildSnapshot(raw: RawSnapshot): CatalogSnapshot {
  const columnsByRel = groupBy(raw.columns, (column) => column.rel);
  const constraintsByRel = groupBy(raw.constraints.filter((c) => c.rel !== 0), (c) => c.rel);
  const checksByType = groupBy(raw.constraints.filter((c) => c.typ !== 0), (c) => c.typ);
  const indexesByRel = groupBy(raw.indexes, (index) => index.rel);
  const triggersByRel = groupBy(raw.triggers, (trigger) => trigger.rel);
  const policiesByRel = groupBy(raw.policies, (policy) => policy.rel);

  const columnsOf = (oid: number, relationKey: string): ColumnInfo[] =>
    (columnsByRel.get(oid) ?? [])
      .sort((a, b) => a.attnum - b.attnum)
      .map((column, index) => {
        const generated = column.generatedKind !== '' ? column.expression : null;
        return {
          key: memberKey(relationKey, column.name),
          name: column.name,
          position: index + 1,
          type: column.type,
          typeName: column.typeName,
          ...optional('elementTypeName', column.elementTypeName),
          arrayDimensions: column.arrayDimensions,
          notNull: column.notNull,
          ...optional('default', generated === null ? column.expression : null),
          ...optional<'identity', ColumnInfo['identity']>('identity', IDENTITIES[column.identity]),
          ...optional('generated', generated),
          ...optional('collation', column.collation),
          ...optional('comment', column.comment),
          ...optional('updatable', column.updatable),
        } satisfies ColumnInfo;
      });

  const indexesOf = (oid: number, schema: string): IndexInfo[] =>
    byKey(
      (indexesByRel.get(oid) ?? []).map((index) => ({
        key: qualifiedKey(schema, index.name),
        name: index.name,
        definition: index.definition,
        unique: index.unique,
        primary: index.primary,
        columns: index.columns ?? [],
        valid: index.valid,
        ...optional('predicate', index.predicate),
      })),
    );

  const tables: TableInfo[] = [];
  const views: ViewInfo[] = [];
  const sequences: SequenceInfo[] = [];
  for (const relation of raw.relations) {
    const key = qualifiedKey(relation.schema, relation.name);
    const common = {
      key,
      schema: relation.schema,
      name: relation.name,
    };
    if (relation.relkind === 'S') {
      sequences.push({
        ...common,
        type: relation.sequenceType ?? 'bigint',
        ...optional('ownedBy', relation.ownedBy),
        grants: grantsOf(relation.grants),
      });
    } else if (relation.relkind === 'v' || relation.relkind === 'm') {
      const mask = relation.updatableMask ?? 0;
      views.push({
        ...common,
        materialized: relation.relkind === 'm',
        definition: relation.definition ?? '',
        options: sortedStrings(relation.options),
        // pg_relation_is_updatable: bit 1 << CMD_UPDATE (4), 1 << CMD_INSERT (8).
        insertable: (mask & 8) !== 0,
        updatable: (mask & 4) !== 0,
        owner: relation.owner,
        ...optional('comment', relation.comment),
        columns: columnsOf(relation.oid, key),
        indexes: indexesOf(relation.oid, relation.schema),
        grants: grantsOf(relation.grants),
      });
    } else {
      tables.push({
        ...common,
        kind: relation.relkind === 'p' ? 'partitioned_table' : relation.relkind === 'f' ? 'foreign_table' : 'table',
        ...optional('partitionOf', relation.partitionOf),
        ...optional('partitionKey', relation.partitionKey),
        ...optional('partitionBound', relation.partitionBound),
        rlsEnabled: relation.rlsEnabled,
        rlsForced: relation.rlsForced,
        owner: relation.owner,
        ...optional('comment', relation.comment),
        columns: columnsOf(relation.oid, key),
        constraints: byKey(
          (constraintsByRel.get(relation.oid) ?? []).map((constraint) => ({
            key: memberKey(key, constraint.name),
            name: constraint.name,
            type: CONSTRAINT_TYPES[constraint.contype] ?? 'check',
            definition: constraint.definition,
            columns: constraint.columns ?? [],
            ...optional(
              'references',
              constraint.referencedTable ? { table: constraint.referencedTable, columns: constraint.referencedColumns ?? [] } : null,
            ),
            validated: constraint.validated,
            deferrable: constraint.deferrable,
            ...optional('inherited', constraint.inherited ? (true as const) : null),
          })),
        ),
        indexes: indexesOf(relation.oid, relation.schema),
        triggers: byKey(
          (triggersByRel.get(relation.oid) ?? []).map(
            (trigger): TriggerInfo => ({
              key: memberKey(key, trigger.name),
              name: trigger.name,
              definition: trigger.definition,
              function: functionKey(trigger.functionSchema, trigger.functionName, trigger.functionArguments),
              enabled: trigger.enabled,
            }),
          ),
        ),
        policies: byKey(
          (policiesByRel.get(relation.oid) ?? []).map(
            (policy): PolicyInfo => ({
              key: memberKey(key, policy.name),
              name: policy.name,
              command: POLICY_COMMANDS[policy.command] ?? 'ALL',
              permissive: policy.permissive,
              roles: sortedStrings(policy.roles),
              ...optional('using', policy.using),
              ...optional('withCheck', policy.withCheck),
            }),
          ),
        ),
        grants: grantsOf(relation.grants),
      });
    }
  }

  const argumentTypeNames = new Map(raw.argumentTypes);
  const functions: FunctionInfo[] = raw.functions.map((fn) => {
    const inputs = fn.arguments.filter(([, , mode]) => mode === 'i' || mode === 'b' || mode === 'v');
    const firstDefault = inputs.length - fn.defaults;
    let inputIndex = 0;
    const args = fn.arguments.map(([name, type, mode, typeOid]): FunctionArgument => {
      const isInput = mode === 'i' || mode === 'b' || mode === 'v';
      const hasDefault = isInput && inputIndex++ >= firstDefault;
      return { name, type, mode: ARGUMENT_MODES[mode] ?? 'in', hasDefault, ...optional('typeName', argumentTypeNames.get(typeOid)) };
    });
    return {
      key: functionKey(fn.schema, fn.name, inputs.map(([, type]) => type)),
      schema: fn.schema,
      name: fn.name,
      kind: FUNCTION_KINDS[fn.prokind] ?? 'function',
      identityArguments: fn.identityArguments,
      arguments: args,
      returns: fn.returns ?? 'void',
      returnsSet: fn.returnsSet,
      returnTypeName: fn.returnTypeName,
      ...optional('rows', fn.rows),
      language: fn.language,
      volatility: VOLATILITIES[fn.volatility] ?? 'volatile',
      securityDefiner: fn.securityDefiner,
      strict: fn.strict,
      config: sortedStrings(fn.config),
      bodyHash: fn.bodyHash,
      owner: fn.owner,
      ...optional('comment', fn.comment),
      grants: grantsOf(fn.grants),
    };
  });

  const enums: EnumInfo[] = [];
  const domains: DomainInfo[] = [];
  const compositeTypes: CompositeTypeInfo[] = [];
  for (const type of raw.types) {
    const common = { key: qualifiedKey(type.schema, type.name), schema: type.schema, name: type.name };
    if (type.typtype === 'e') {
      enums.push({ ...common, labels: type.labels ?? [], ...optional('comment', type.comment) });
    } else if (type.typtype === 'd') {
      domains.push({
        ...common,
        baseType: type.baseType ?? '',
        baseTypeName: type.baseTypeName ?? '',
        notNull: type.notNull,
        ...optional('default', type.default),
        checks: (checksByType.get(type.typ) ?? [])
          .filter((check) => check.contype === 'c')
          .map((check) => ({ name: check.name, definition: check.definition }))
          .sort((a, b) => compareCodePoints(a.name, b.name)),
        ...optional('comment', type.comment),
      });
    } else {
      compositeTypes.push({
        ...common,
        attributes: (type.attributes ?? []).map(([name, attributeType, typeName]) => ({ name, type: attributeType, typeName })),
        ...optional('comment', type.comment),
      });
    }
  }

  return {
    version: CATALOG_SNAPSHOT_VERSION,
    serverVersionNum: raw.serverVersionNum,
    schemas: byKey(
      raw.schemas.map((schema) => ({
        key: schema.name,
        name: schema.name,
        owner: schema.owner,
        ...optional('comment', schema.comment),
        grants: grantsOf(schema.grants),
      })),
    ),
    extensions: byKey(raw.extensions.map((extension) => ({ key: extension.name, ...extension }))),
    tables: byKey(tables),
    views: byKey(views),
    sequences: byKey(sequences),
    functions: byKey(functions),
    enums: byKey(enums),
    domains: byKey(domains),
    compositeTypes: byKey(compositeTypes),
  };
}
