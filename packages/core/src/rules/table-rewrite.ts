import type { AlterTableCmd, ColumnDef } from 'libpg-query';
import { quoteIdent } from '../sql/quote.js';
import type { PgNode, SqlStatement } from '../sql/types.js';
import { walk } from '../sql/walk.js';
import { nodeOf, nodesOf, optionNamed } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { tablesCreatedBefore } from './support/history-tables.js';
import { namesKey, relationKey, relationName, strings } from './support/names.js';
import { type Catalog, CatalogCursor } from './support/schema-catalog.js';
import { alterCommands } from './support/statements.js';
import { sameType, type TypeInfo, typeInfo, typeInfoText } from './support/type-names.js';
import { defineRule } from './types.js';

/** The catalog before the statement. */
type Lookup = () => Catalog;

interface Cause {
  text: string;
  hint: string;
}

const HINTS = {
  generated:
    'add a plain nullable column, backfill it in batches and keep it current with a trigger (PG 18: a VIRTUAL generated column is not stored and needs no rewrite)',
  volatileDefault:
    'add the column without a default, ALTER COLUMN ... SET DEFAULT <expression> for new rows, then backfill existing rows in batches',
  oldDefault: 'add the column without DEFAULT, then ALTER COLUMN ... SET DEFAULT and backfill in batches (PG 11+ stores a non-volatile default without a rewrite)',
  sequence: 'add a nullable column, attach the sequence as its default for new rows, and backfill existing rows in batches',
  type: 'add a column of the new type, backfill it in batches (a trigger keeps it current), and switch over in a later migration; widening varchar(n) or moving it to text is not a rewrite',
  offline: 'there is no online alternative: run it in a maintenance window',
  repack: 'use pg_repack (or pg_squeeze) to rebuild the table without holding an ACCESS EXCLUSIVE lock for the whole run',
};

/** Built-in functions whose result changes per row (VOLATILE): a default using them is evaluated for every existing row. */
const VOLATILE = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'gen_random_bytes',
  'gen_salt',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
  'currval',
  'lastval',
]);

/** Common built-in and Supabase functions that are STABLE or IMMUTABLE (one value per statement). */
const NON_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'current_database',
  'current_schema',
  'version',
  'to_timestamp',
  'to_date',
  'to_char',
  'to_number',
  'date_trunc',
  'date_part',
  'extract',
  'timezone',
  'make_date',
  'make_time',
  'make_timestamp',
  'make_timestamptz',
  'make_interval',
  'age',
  'lower',
  'upper',
  'btrim',
  'ltrim',
  'rtrim',
  'trim',
  'concat',
  'concat_ws',
  'format',
  'replace',
  'substring',
  'substr',
  'left',
  'right',
  'length',
  'md5',
  'encode',
  'decode',
  'abs',
  'round',
  'floor',
  'ceil',
  'jsonb_build_object',
  'jsonb_build_array',
  'json_build_object',
  'json_build_array',
  'to_jsonb',
  'to_json',
  'array_fill',
  'uuid_nil',
  'uuid_ns_dns',
  'uuid_ns_url',
  'uuid_ns_oid',
  'uuid_ns_x500',
  'inet_client_addr',
  'pg_backend_pid',
  'uid',
  'jwt',
  'role',
  'email',
]);

/**
 * Statements that rewrite every row of an existing table (and rebuild its indexes) while holding
 * ACCESS EXCLUSIVE: the table is unavailable for as long as the copy takes.
 */
export const rule = defineRule({
  id: 'table-rewrite',
  category: 'locking',
  defaultSeverity: 'warning',
  description:
    'Flags statements that rewrite a whole existing table: stored generated columns, volatile defaults, type changes that are not binary-coercible, SET LOGGED, VACUUM FULL, CLUSTER.',
  check(context) {
    const model = fileModel(context.sql, tablesCreatedBefore(context));
    const cursor = new CatalogCursor(context);
    for (const statement of model.statements) {
      const findings = inspect(statement, context.postgresVersion, () => cursor.current());
      cursor.advance(statement);
      for (const finding of findings) {
        const tables = finding.tables.filter((table) => !table.key || !model.createdBefore(table.key, statement));
        if (tables.length === 0 || finding.causes.length === 0) continue;
        const names = tables.map((table) => table.text).join(', ');
        context.report({
          statement,
          message: finding.may
            ? `${finding.causes.map((cause) => cause.text).join('; ')} (a rewrite holds an ACCESS EXCLUSIVE lock on ${names} for its whole duration)`
            : `${finding.causes.map((cause) => cause.text).join('; ')}: ${names} is rewritten in full (indexes rebuilt too) under an ACCESS EXCLUSIVE lock`,
          hint: [...new Set(finding.causes.map((cause) => cause.hint))].join('; '),
        });
      }
    }
  },
});

interface RewriteFinding {
  tables: { key?: string; text: string }[];
  causes: Cause[];
  /** Only possibly a rewrite (the current column type or a function's volatility is unknown). */
  may?: boolean;
}

function inspect(statement: SqlStatement, postgresVersion: number, catalog: Lookup): RewriteFinding[] {
  const { kind, node } = statement;
  if (kind === 'AlterTableStmt' && node.objtype === 'OBJECT_TABLE') {
    const table = { key: relationKey(node.relation), text: relationName(node.relation) };
    const causes: Cause[] = [];
    let may = false;
    let certain = false;
    for (const cmd of alterCommands(node)) {
      const cause = commandCause(cmd, relationKey(node.relation), postgresVersion, catalog);
      if (!cause) continue;
      causes.push(cause);
      if (cause.may) may = true;
      else certain = true;
    }
    return causes.length ? [{ tables: [table], causes, may: may && !certain }] : [];
  }
  if (kind === 'VacuumStmt' && node.is_vacuumcmd) {
    const fullOption = optionNamed(node.options, 'full');
    const full = fullOption !== undefined && nodeOf(fullOption.arg, 'Boolean')?.boolval !== false;
    if (!full) return [];
    const rels = nodesOf(node.rels, 'VacuumRelation').flatMap((item) => (item.relation ? [item.relation] : []));
    const tables = rels.length ? rels.map((relation) => ({ key: relationKey(relation), text: relationName(relation) })) : [{ text: 'every table of the database' }];
    return [{ tables, causes: [{ text: 'VACUUM FULL writes a new copy of each table', hint: HINTS.repack }] }];
  }
  if (kind === 'ClusterStmt') {
    const tables = node.relation ? [{ key: relationKey(node.relation), text: relationName(node.relation) }] : [{ text: 'every previously clustered table' }];
    return [{ tables, causes: [{ text: 'CLUSTER writes a new copy of the table in index order', hint: HINTS.repack }] }];
  }
  return [];
}

function commandCause(cmd: AlterTableCmd, tableKey: string, postgresVersion: number, catalog: Lookup): (Cause & { may?: boolean }) | undefined {
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return addColumnCause(nodeOf(cmd.def, 'ColumnDef'), postgresVersion, catalog);
    case 'AT_AlterColumnType':
      return typeChangeCause(cmd, tableKey, postgresVersion, catalog);
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
      return { text: `${cmd.subtype === 'AT_SetLogged' ? 'SET LOGGED' : 'SET UNLOGGED'} writes a new copy of the table`, hint: HINTS.offline };
    case 'AT_SetAccessMethod':
      return { text: `SET ACCESS METHOD ${cmd.name ?? 'DEFAULT'} writes the table anew`, hint: HINTS.offline };
    case 'AT_SetTableSpace':
      return { text: `SET TABLESPACE ${quoteIdent(cmd.name ?? '')} copies every block of the table`, hint: HINTS.offline };
    case 'AT_SetExpression':
      return { text: `ALTER COLUMN ${quoteIdent(cmd.name ?? '')} SET EXPRESSION recomputes the stored column for every row`, hint: HINTS.generated };
    default:
      return undefined;
  }
}

function addColumnCause(column: ColumnDef | undefined, postgresVersion: number, catalog: Lookup): (Cause & { may?: boolean }) | undefined {
  if (!column) return undefined;
  const name = quoteIdent(column.colname ?? '');
  const constraints = nodesOf(column.constraints, 'Constraint');
  const generated = constraints.find((constraint) => constraint.contype === 'CONSTR_GENERATED');
  if (generated && generated.generated_kind !== 'v') {
    return { text: `ADD COLUMN ${name} ... GENERATED ALWAYS AS (...) STORED computes and stores the value for every existing row`, hint: HINTS.generated };
  }
  if (constraints.some((constraint) => constraint.contype === 'CONSTR_IDENTITY')) {
    return { text: `ADD COLUMN ${name} ... GENERATED AS IDENTITY fills every existing row from the sequence`, hint: HINTS.sequence };
  }
  const typeName = strings(column.typeName?.names).pop()?.toLowerCase();
  if (typeName && /^(small|big)?serial[248]?$/.test(typeName)) {
    return { text: `ADD COLUMN ${name} ${typeName} fills every existing row from a new sequence (nextval() is volatile)`, hint: HINTS.sequence };
  }
  const fallback = constraints.find((constraint) => constraint.contype === 'CONSTR_DEFAULT');
  const expr = fallback?.raw_expr;
  if (!expr || nodeOf(expr, 'A_Const')?.isnull) return undefined;
  if (postgresVersion < 11) {
    return { text: `ADD COLUMN ${name} with a DEFAULT writes the default into every existing row before PostgreSQL 11 (target: ${postgresVersion})`, hint: HINTS.oldDefault };
  }
  const volatility = expressionVolatility(expr, catalog);
  if (volatility.volatile) {
    return { text: `ADD COLUMN ${name} has a volatile DEFAULT (${volatility.volatile}()) that is evaluated for every existing row`, hint: HINTS.volatileDefault };
  }
  if (volatility.unknown) {
    return {
      may: true,
      text: `ADD COLUMN ${name} has a DEFAULT calling ${volatility.unknown}(), whose volatility pgwarden does not know: a VOLATILE function is evaluated for every existing row, rewriting the table`,
      hint: `if ${volatility.unknown}() is STABLE or IMMUTABLE there is no rewrite (declare it so); otherwise ${HINTS.volatileDefault}`,
    };
  }
  return undefined;
}

/** The first volatile function an expression calls, or the first one whose volatility is unknown. */
function expressionVolatility(expr: PgNode, catalog: Lookup): { volatile?: string; unknown?: string } {
  let volatile: string | undefined;
  let unknown: string | undefined;
  walk(expr, (type, node) => {
    if (volatile || type !== 'FuncCall') return;
    const names = strings(node.funcname);
    const name = names[names.length - 1]!.toLowerCase();
    const builtin = names.length === 1 || names[0] === 'pg_catalog';
    // Known built-ins need no catalog; anything else may be declared in this file, the history or current_schema/.
    if (builtin && NON_VOLATILE.has(name)) return;
    const declared = builtin && VOLATILE.has(name) ? 'v' : (catalog().volatility(namesKey(names)) ?? (VOLATILE.has(name) ? 'v' : undefined));
    if (declared === 'v') volatile = names.join('.');
    else if (declared === undefined && !NON_VOLATILE.has(name) && !unknown) unknown = names.join('.');
  });
  return { volatile, unknown };
}

function typeChangeCause(cmd: AlterTableCmd, tableKey: string, postgresVersion: number, catalog: Lookup): (Cause & { may?: boolean }) | undefined {
  const column = cmd.name ?? '';
  const def = nodeOf(cmd.def, 'ColumnDef');
  if (!def?.typeName) return undefined;
  const next = typeInfo(def.typeName);
  const label = `ALTER COLUMN ${quoteIdent(column)} TYPE ${typeInfoText(next)}`;
  const using = def.raw_default;
  if (using && !isPlainColumn(using, column)) {
    return { text: `${label} with a USING expression computes the new value of every row`, hint: HINTS.type };
  }
  const old = catalog().columnType(tableKey, column);
  if (!old) {
    return {
      may: true,
      text: `${label} rewrites every row unless the column's current type is binary-coercible to ${typeInfoText(next)} (e.g. varchar(n) to text): pgwarden found no earlier definition of ${quoteIdent(column)} in this file, the earlier migrations or current_schema/`,
      hint: HINTS.type,
    };
  }
  const verdict = coercion(old, next, postgresVersion);
  if (!verdict) return undefined;
  return { text: `${label} (from ${typeInfoText(old)}) ${verdict}`, hint: HINTS.type };
}

/** `col` or `col::type`: a USING clause that does not change the values. */
function isPlainColumn(expr: PgNode, column: string): boolean {
  const inner = 'TypeCast' in expr ? expr.TypeCast.arg : expr;
  const fields = strings(nodeOf(inner, 'ColumnRef')?.fields);
  return fields.length > 0 && fields[fields.length - 1] === column;
}

const TEXT_LIKE = new Set(['text', 'varchar', 'citext']);
const PRECISION_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);

/** Why changing `old` to `next` rewrites the table, or undefined when Postgres can skip the rewrite. */
function coercion(oldType: TypeInfo, nextType: TypeInfo, postgresVersion: number): string | undefined {
  if (sameType(oldType, nextType)) return undefined;
  const old = { ...oldType, name: oldType.name.replace(/^.*\.citext$/, 'citext') };
  const next = { ...nextType, name: nextType.name.replace(/^.*\.citext$/, 'citext') };
  const rewrite = 'is not binary-coercible: every row is converted';
  if (old.array !== next.array) return rewrite;
  if (old.array) return old.name === next.name && old.mods.join() === next.mods.join() ? undefined : rewrite;

  // varchar(n) -> text / varchar / varchar(m >= n) / citext, text -> varchar (no limit): relabel only.
  if (TEXT_LIKE.has(old.name) && TEXT_LIKE.has(next.name)) {
    if (next.name !== 'varchar' || next.mods.length === 0) return undefined;
    if (old.name === 'varchar' && old.mods.length && next.mods[0]! >= old.mods[0]!) return undefined;
    return `adds a length limit that every row must be checked against (a rewrite)`;
  }
  if (old.name === 'numeric' && next.name === 'numeric') {
    if (next.mods.length === 0) return undefined;
    if (old.mods.length === 0) return 'adds a precision that every value is rounded to (a rewrite)';
    const [oldPrecision, oldScale = 0] = old.mods;
    const [newPrecision, newScale = 0] = next.mods;
    if (newScale === oldScale && newPrecision! >= oldPrecision!) return undefined;
    return 'changes the scale or lowers the precision: every value is rounded (a rewrite)';
  }
  if (old.name === 'varbit' && next.name === 'varbit') {
    if (next.mods.length === 0 || (old.mods.length && next.mods[0]! >= old.mods[0]!)) return undefined;
    return 'lowers the length limit (a rewrite)';
  }
  if (PRECISION_TYPES.has(old.name) && old.name === next.name) {
    if (next.mods.length === 0 || next.mods[0]! >= 6) return undefined;
    if (old.mods.length && next.mods[0]! >= old.mods[0]!) return undefined;
    return 'lowers the fractional-second precision: every value is rounded (a rewrite)';
  }
  if (old.name === 'interval' && next.name === 'interval' && next.mods.length === 0) return undefined;
  if ((old.name === 'timestamp' && next.name === 'timestamptz') || (old.name === 'timestamptz' && next.name === 'timestamp')) {
    return postgresVersion >= 12
      ? 'converts every value, unless the session TimeZone is UTC (PG 12+ skips the rewrite only then)'
      : `converts every value (a rewrite before PostgreSQL 12 whatever the TimeZone)`;
  }
  if (old.name === 'cidr' && next.name === 'inet') return undefined;
  return rewrite;
}
