import { compareCodePoints } from '../catalog/identity.js';
import type { DbSession } from '../db/types.js';

export interface TriggerTarget {
  /** Oid of the table the trigger is on. */
  relid: number;
  /** `schema.table`, quoted as SQL needs it. */
  relation: string;
  oldTable: string | null;
  newTable: string | null;
}

export interface FunctionParameter {
  name: string | null;
  /** As format_type prints it. */
  type: string;
  /** i, o, b (INOUT), v (VARIADIC), t (TABLE column). */
  mode: string;
}

export interface VerifiableFunction {
  oid: number;
  /** `schema.name(argtypes)`, see catalog/identity.ts. */
  key: string;
  language: string;
  /** The body as stored (prosrc): bodyLine counts its lines. */
  source: string;
  /** CREATE OR REPLACE FUNCTION ... as Postgres prints it (PL/pgSQL functions only). */
  definition: string | null;
  parameters: FunctionParameter[];
  /** proconfig entries such as `search_path=public, pg_temp`. */
  config: string[];
  returnsTrigger: boolean;
  returnsEventTrigger: boolean;
  /** A BEGIN ATOMIC body: parsed and dependency-tracked at creation. */
  hasSqlStandardBody: boolean;
  /** Tables whose triggers call the function, in name order. */
  triggers: TriggerTarget[];
}

const FUNCTIONS_SQL = `
SELECT p.oid::int8 AS oid,
       format('%s.%s(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) AS key,
       l.lanname AS language,
       p.prosrc AS source,
       CASE WHEN l.lanname = 'plpgsql' THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition,
       COALESCE(p.proconfig, '{}') AS config,
       p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype AS returns_trigger,
       p.prorettype = 'pg_catalog.event_trigger'::pg_catalog.regtype AS returns_event_trigger,
       p.prosqlbody IS NOT NULL AS has_sql_standard_body,
       COALESCE(p.proargnames, '{}') AS arg_names,
       COALESCE(p.proargmodes::text[], '{}') AS arg_modes,
       ARRAY(SELECT pg_catalog.format_type(t, NULL) FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY AS a(t, i) ORDER BY i) AS arg_types
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
 WHERE n.nspname = ANY($1::text[])
   AND p.prokind IN ('f', 'p')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')`;

const TRIGGERS_SQL = `
SELECT t.tgfoid::int8 AS function_oid, t.tgrelid::int8 AS relid,
       format('%I.%I', n.nspname, c.relname) AS relation,
       t.tgoldtable AS old_table, t.tgnewtable AS new_table
  FROM pg_catalog.pg_trigger t
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT t.tgisinternal AND t.tgfoid = ANY($1::oid[])`;

interface FunctionRow {
  oid: string | number;
  key: string;
  language: string;
  source: string;
  definition: string | null;
  config: string[];
  returns_trigger: boolean;
  returns_event_trigger: boolean;
  has_sql_standard_body: boolean;
  arg_names: string[];
  arg_modes: string[];
  arg_types: string[];
}

interface TriggerRow {
  function_oid: string | number;
  relid: string | number;
  relation: string;
  old_table: string | null;
  new_table: string | null;
}

/** The functions and procedures of `schemas` (only `keys` when given), in key order. */
export async function listFunctions(session: DbSession, schemas: readonly string[], keys?: readonly string[]): Promise<VerifiableFunction[]> {
  const wanted = keys && new Set(keys);
  const rows = (await session.query<FunctionRow>(FUNCTIONS_SQL, [schemas])).rows.filter((row) => !wanted || wanted.has(row.key));
  rows.sort((a, b) => compareCodePoints(a.key, b.key));
  const triggerRows = rows.some((row) => row.returns_trigger)
    ? (await session.query<TriggerRow>(TRIGGERS_SQL, [rows.filter((row) => row.returns_trigger).map((row) => Number(row.oid))])).rows
    : [];
  return rows.map((row) => ({
    oid: Number(row.oid),
    key: row.key,
    language: row.language,
    source: row.source,
    definition: row.definition,
    parameters: row.arg_types.map((type, index) => ({
      name: row.arg_names[index] || null,
      type,
      mode: row.arg_modes[index] ?? 'i',
    })),
    config: row.config,
    returnsTrigger: row.returns_trigger,
    returnsEventTrigger: row.returns_event_trigger,
    hasSqlStandardBody: row.has_sql_standard_body,
    triggers: triggerRows
      .filter((trigger) => Number(trigger.function_oid) === Number(row.oid))
      .map((trigger) => ({ relid: Number(trigger.relid), relation: trigger.relation, oldTable: trigger.old_table, newTable: trigger.new_table }))
      .sort((a, b) => compareCodePoints(a.relation, b.relation)),
  }));
}

/** The value a function's `SET search_path` fixes, or undefined when the caller's path applies. */
export function configuredSearchPath(fn: VerifiableFunction): string | undefined {
  const entry = fn.config.find((setting) => setting.startsWith('search_path='));
  return entry?.slice('search_path='.length);
}

/** `plpgsql.variable_conflict` set on the function (ALTER FUNCTION ... SET). */
export function configuredVariableConflict(fn: VerifiableFunction): string | undefined {
  return fn.config.find((setting) => setting.startsWith('plpgsql.variable_conflict='))?.split('=')[1];
}
