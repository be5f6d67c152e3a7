/**
 * Test stand-in for `introspectCatalog` (branch `catalog`) until it lands: reads exactly the
 * CatalogSnapshot fields typegen uses from a real database. Same shapes and ordering rules as
 * catalog/types.ts (lists by key in code-point order), so tests switch over unchanged.
 */
import type pg from 'pg';
import {
  CATALOG_SNAPSHOT_VERSION,
  compareCodePoints,
  type CatalogSnapshot,
  type ColumnInfo,
  type ConstraintInfo,
  type FunctionInfo,
  type TableInfo,
  type ViewInfo,
} from '../../catalog/index.js';

const byKey = <T extends { key: string }>(a: T, b: T) => compareCodePoints(a.key, b.key);

export async function snapshotFromDb(client: pg.Client, schemas: string[]): Promise<CatalogSnapshot> {
  const q = async <T>(sql: string): Promise<T[]> => (await client.query(sql, [schemas])).rows as T[];
  const version = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num);

  const relations = await q<{ oid: number; schema: string; name: string; relkind: string; comment: string | null; rls: boolean; forced: boolean; def: string | null; ins: boolean; upd: boolean }>(`
    SELECT c.oid::int, n.nspname AS schema, c.relname AS name, c.relkind::text, obj_description(c.oid, 'pg_class') AS comment,
           c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
           CASE WHEN c.relkind IN ('v','m') THEN pg_get_viewdef(c.oid, true) END AS def,
           c.relkind = 'v' AND (pg_relation_is_updatable(c.oid, false) & 8) = 8 AS ins,
           c.relkind = 'v' AND (pg_relation_is_updatable(c.oid, false) & 4) = 4 AS upd
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r','p','f','v','m')`);
  const columns = await q<{ relid: number; name: string; position: number; type: string; typeschema: string; typname: string; elemschema: string | null; elemname: string | null; ndims: number; notnull: boolean; def: string | null; identity: string; generated: string; comment: string | null; updatable: boolean }>(`
    SELECT a.attrelid::int AS relid, a.attname AS name, a.attnum::int AS position, format_type(a.atttypid, a.atttypmod) AS type,
           tn.nspname AS typeschema, t.typname, en.nspname AS elemschema, e.typname AS elemname,
           CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN greatest(a.attndims, 1) ELSE 0 END::int AS ndims,
           a.attnotnull AS notnull, CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS def,
           a.attidentity::text AS identity, CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated,
           col_description(a.attrelid, a.attnum) AS comment,
           pg_column_is_updatable(a.attrelid, a.attnum, false) AS updatable
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
    LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typlen = -1 LEFT JOIN pg_namespace en ON en.oid = e.typnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r','p','f','v','m') AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum`);
  const constraints = await q<{ relid: number; name: string; contype: string; def: string; cols: string[]; refschema: string | null; reftable: string | null; refcols: string[] | null }>(`
    SELECT c.conrelid::int AS relid, c.conname AS name, c.contype::text, pg_get_constraintdef(c.oid) AS def,
           ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS cols,
           rn.nspname AS refschema, r.relname AS reftable,
           ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS refcols
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_class r ON r.oid = c.confrelid LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
    WHERE n.nspname = ANY($1) AND c.contype IN ('p','u','f','c') AND c.conparentid = 0`);
  const functions = await q<{ schema: string; name: string; kind: string; identity: string; modes: string[] | null; names: string[] | null; types: string[]; typenames: string[]; nargs: number; ndefaults: number; returns: string; retset: boolean; rettype: string; language: string; volatility: string; secdef: boolean; strict: boolean; rows: number; comment: string | null }>(`
    SELECT n.nspname AS schema, p.proname AS name, p.prokind::text AS kind, pg_get_function_identity_arguments(p.oid) AS identity,
           p.proargmodes::text[] AS modes, p.proargnames AS names,
           ARRAY(SELECT format_type(x, NULL) FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(x, o) ORDER BY o) AS types,
           ARRAY(SELECT tn.nspname || '.' || t.typname FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(x, o) JOIN pg_type t ON t.oid = u.x JOIN pg_namespace tn ON tn.oid = t.typnamespace ORDER BY o) AS typenames,
           p.pronargs::int AS nargs, p.pronargdefaults::int AS ndefaults, pg_get_function_result(p.oid) AS returns, p.proretset AS retset,
           rn.nspname || '.' || rt.typname AS rettype, l.lanname AS language, p.provolatile::text AS volatility,
           p.prosecdef AS secdef, p.proisstrict AS strict, p.prorows::int AS rows, obj_description(p.oid, 'pg_proc') AS comment
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
    JOIN pg_type rt ON rt.oid = p.prorettype JOIN pg_namespace rn ON rn.oid = rt.typnamespace
    WHERE n.nspname = ANY($1)`);
  const enums = await q<{ schema: string; name: string; labels: string[]; comment: string | null }>(`
    SELECT n.nspname AS schema, t.typname AS name, ARRAY(SELECT enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY enumsortorder) AS labels,
           obj_description(t.oid, 'pg_type') AS comment
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ANY($1) AND t.typtype = 'e'`);
  const domains = await q<{ schema: string; name: string; base: string; basename: string; notnull: boolean; def: string | null; checks: { name: string; definition: string }[] }>(`
    SELECT n.nspname AS schema, t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS base, bn.nspname || '.' || b.typname AS basename,
           t.typnotnull AS notnull, t.typdefault AS def,
           coalesce((SELECT json_agg(json_build_object('name', c.conname, 'definition', pg_get_constraintdef(c.oid)) ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid), '[]') AS checks
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_type b ON b.oid = t.typbasetype JOIN pg_namespace bn ON bn.oid = b.typnamespace
    WHERE n.nspname = ANY($1) AND t.typtype = 'd'`);
  const composites = await q<{ schema: string; name: string; attributes: { name: string; type: string; typeName: string }[]; comment: string | null }>(`
    SELECT n.nspname AS schema, t.typname AS name, obj_description(t.oid, 'pg_type') AS comment,
           (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'typeName', an.nspname || '.' || at.typname) ORDER BY a.attnum)
            FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid JOIN pg_namespace an ON an.oid = at.typnamespace
            WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS attributes
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_class c ON c.oid = t.typrelid
    WHERE n.nspname = ANY($1) AND t.typtype = 'c' AND c.relkind = 'c'`);

  const columnsOf = new Map<number, ColumnInfo[]>();
  const relKey = new Map(relations.map((r) => [r.oid, `${r.schema}.${r.name}`]));
  for (const c of columns) {
    const list = columnsOf.get(c.relid) ?? [];
    const tableKey = relKey.get(c.relid)!;
    const column: ColumnInfo = {
      key: `${tableKey}.${c.name}`,
      name: c.name,
      position: list.length + 1,
      type: c.type,
      typeName: `${c.typeschema}.${c.typname}`,
      arrayDimensions: c.ndims,
      notNull: c.notnull,
    };
    if (c.elemname) column.elementTypeName = `${c.elemschema}.${c.elemname}`;
    if (c.def !== null) column.default = c.def;
    if (c.identity === 'a') column.identity = 'always';
    if (c.identity === 'd') column.identity = 'by_default';
    if (c.generated !== null) column.generated = c.generated;
    if (c.comment !== null) column.comment = c.comment;
    const rel = relations.find((r) => r.oid === c.relid)!;
    if (rel.relkind === 'v') column.updatable = c.updatable;
    list.push(column);
    columnsOf.set(c.relid, list);
  }
  const conType: Record<string, ConstraintInfo['type']> = { p: 'primary_key', u: 'unique', f: 'foreign_key', c: 'check' };
  const tables: TableInfo[] = [];
  const views: ViewInfo[] = [];
  for (const r of relations) {
    const key = `${r.schema}.${r.name}`;
    const cols = columnsOf.get(r.oid) ?? [];
    if (r.relkind === 'v' || r.relkind === 'm') {
      const view: ViewInfo = {
        key, schema: r.schema, name: r.name, materialized: r.relkind === 'm', definition: r.def ?? '', options: [],
        insertable: r.ins, updatable: r.upd, columns: cols, indexes: [], grants: [],
      };
      if (r.comment !== null) view.comment = r.comment;
      views.push(view);
      continue;
    }
    const table: TableInfo = {
      key, schema: r.schema, name: r.name, kind: r.relkind === 'p' ? 'partitioned_table' : r.relkind === 'f' ? 'foreign_table' : 'table',
      rlsEnabled: r.rls, rlsForced: r.forced, columns: cols, indexes: [], triggers: [], policies: [], grants: [],
      constraints: constraints
        .filter((c) => c.relid === r.oid)
        .map((c) => {
          const constraint: ConstraintInfo = {
            key: `${key}.${c.name}`, name: c.name, type: conType[c.contype]!, definition: c.def, columns: c.cols, validated: true, deferrable: false,
          };
          if (c.contype === 'f') constraint.references = { table: `${c.refschema}.${c.reftable}`, columns: c.refcols ?? [] };
          return constraint;
        })
        .sort(byKey),
    };
    if (r.comment !== null) table.comment = r.comment;
    tables.push(table);
  }
  const modeName: Record<string, FunctionInfo['arguments'][number]['mode']> = { i: 'in', o: 'out', b: 'inout', v: 'variadic', t: 'table' };
  const fns: FunctionInfo[] = functions.map((f) => {
    let inputsSeen = 0;
    const args = f.types.map((type, i) => {
      const mode = modeName[f.modes?.[i] ?? 'i']!;
      const isInput = mode === 'in' || mode === 'inout' || mode === 'variadic';
      const hasDefault = isInput && inputsSeen++ >= f.nargs - f.ndefaults;
      return { name: f.names?.[i] ?? '', type, typeName: f.typenames[i], mode, hasDefault };
    });
    const inTypes = args.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic').map((a) => a.type);
    const fn: FunctionInfo = {
      key: `${f.schema}.${f.name}(${inTypes.join(', ')})`, schema: f.schema, name: f.name,
      kind: f.kind === 'p' ? 'procedure' : f.kind === 'a' ? 'aggregate' : f.kind === 'w' ? 'window' : 'function',
      identityArguments: f.identity, arguments: args, returns: f.returns, returnsSet: f.retset, returnTypeName: f.rettype,
      language: f.language, volatility: f.volatility === 'i' ? 'immutable' : f.volatility === 's' ? 'stable' : 'volatile',
      securityDefiner: f.secdef, strict: f.strict, config: [], bodyHash: '', grants: [],
    };
    if (f.retset) fn.rows = f.rows;
    if (f.comment !== null) fn.comment = f.comment;
    return fn;
  });
  return {
    version: CATALOG_SNAPSHOT_VERSION,
    serverVersionNum: version,
    schemas: schemas.map((name) => ({ key: name, name, grants: [] })).sort(byKey),
    extensions: [],
    tables: tables.sort(byKey),
    views: views.sort(byKey),
    sequences: [],
    functions: fns.sort(byKey),
    enums: enums.map((e) => ({ key: `${e.schema}.${e.name}`, schema: e.schema, name: e.name, labels: e.labels, ...(e.comment ? { comment: e.comment } : {}) })).sort(byKey),
    domains: domains.map((d) => ({ key: `${d.schema}.${d.name}`, schema: d.schema, name: d.name, baseType: d.base, baseTypeName: d.basename, notNull: d.notnull, ...(d.def ? { default: d.def } : {}), checks: d.checks })).sort(byKey),
    compositeTypes: composites.map((c) => ({ key: `${c.schema}.${c.name}`, schema: c.schema, name: c.name, attributes: c.attributes ?? [], ...(c.comment ? { comment: c.comment } : {}) })).sort(byKey),
  };
}
