/**
 * The impact report of touchpoint 1 (`pgwarden plan <file>`): for each statement of a migration
 * its kind, locks, rewrites and scans, the objects it touches and what depends on them; where
 * each affected table is defined in current_schema/; whether the migration is idempotent and its
 * rollback restores the schema (proved by the same code as `lint --deep`); destructive statements;
 * and the current_schema/ edits it needs after execution (what `check --fix` would write).
 * Deterministic: workspace-relative paths, no timestamps.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CatalogSnapshot } from '../catalog/types.js';
import { planSchemaFix } from '../check/fix-schema.js';
import { statementObjects } from '../check/statement-objects.js';
import type { PgwardenConfig } from '../config/types.js';
import type { DbSession } from '../db/types.js';
import { lintSource } from '../lint/engine.js';
import { parseMigration, toRelPath, withByteOrderMark, writeFileAtomically } from '../migration/index.js';
import { setHeaderSection } from '../migration/rewrite.js';
import { accessExclusiveLocks } from '../rules/access-exclusive-lock.js';
import type { Finding } from '../rules/types.js';
import { findSource } from '../shadow/lookup.js';
import { listSchemaFiles, readSqlTexts } from '../shadow/schema-files.js';
import type { ShadowDatabase, SourceMapEntry } from '../shadow/types.js';
import { loadParser, parseSql } from '../sql/index.js';
import { nodesOf } from '../sql/nodes.js';
import type { SqlStatement } from '../sql/types.js';
import { DeepLinter, type MigrationProof } from './deep-lint.js';
import { statementLocks, type StatementLock } from './locks.js';

export interface SourceLocation {
  file: string;
  line: number;
}

export interface StatementImpact {
  line: number;
  endLine: number;
  /** Statement as Postgres names it, e.g. `ALTER TABLE`, `CREATE POLICY`. */
  kind: string;
  locks: StatementLock[];
  /** Why the statement rewrites a table (table-rewrite rule), on the configured Postgres version. */
  rewrites: string[];
  /** Why it reads a whole table while holding its lock (set-not-null, constraint-not-valid, index build). */
  scans: string[];
  /** Identity keys of the objects it defines, alters or drops. */
  objects: string[];
  /** Set when it destroys schema or data, with the reason. */
  destructive?: string;
}

export interface DependentObject {
  kind: 'view' | 'materialized_view' | 'function' | 'trigger';
  key: string;
  /** What it depends on: a table or `table.column`. */
  on: string;
  /** `pg_depend` (recorded by Postgres) or `body` (the function's body names it). */
  via: 'pg_depend' | 'body';
  definedAt?: SourceLocation;
}

export interface SchemaEdit {
  file: string;
  line?: number;
  message: string;
  /** false: `check --fix` cannot write it, edit by hand. */
  writable: boolean;
}

export interface ImpactReport {
  file: string;
  postgresVersion: number;
  statements: StatementImpact[];
  affectedTables: { table: string; definedAt?: SourceLocation }[];
  dependents: DependentObject[];
  /** Idempotency proved by running the migration twice on the shadow; never proved while a statement fails. */
  idempotent: { proved: boolean; problems: string[] };
  /** `restores` is absent when it cannot be known: current_schema/ already holds the migration, or a statement failed. */
  rollback: { script: boolean; restores?: boolean; problems: string[] };
  /** First lines of the statements that failed on the shadow: no proof covers them, and the edits lack what they would change. */
  failedStatements: number[];
  /** current_schema/ already holds what the migration does (its source-of-truth entries are ticked, or a run changed nothing). */
  reflected: boolean;
  schemaEdits: SchemaEdit[];
  /** Findings of the shadow proofs (`lint --deep` rules, verifier, catalog lints). */
  findings: Pick<Finding, 'line' | 'rule' | 'severity' | 'message'>[];
}

const LOCK_RULES = ['table-rewrite', 'set-not-null', 'constraint-not-valid', 'index-concurrently'] as const;
const SCAN_RULES = new Set(['set-not-null', 'constraint-not-valid', 'index-concurrently']);

/** `CreatePolicyStmt` -> `CREATE POLICY`; a few nodes named differently from their SQL. */
const KIND_NAMES: Record<string, string> = {
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  ViewStmt: 'CREATE VIEW',
  CreateFunctionStmt: 'CREATE FUNCTION',
  CreateTrigStmt: 'CREATE TRIGGER',
  DoStmt: 'DO',
  DropStmt: 'DROP',
  CommentStmt: 'COMMENT',
  GrantStmt: 'GRANT',
  TransactionStmt: 'TRANSACTION',
  VariableSetStmt: 'SET',
  RenameStmt: 'RENAME',
};

function kindName(statement: SqlStatement): string {
  if (statement.kind === 'DropStmt') return `DROP ${String(statement.node.removeType).replace('OBJECT_', '').replace(/_/g, ' ')}`;
  if (statement.kind === 'CreateFunctionStmt') return statement.node.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
  if (statement.kind === 'GrantStmt') return statement.node.is_grant ? 'GRANT' : 'REVOKE';
  if (statement.kind === 'CreateTableAsStmt') return statement.node.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
  return KIND_NAMES[statement.kind] ?? statement.kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}


/** Why a statement destroys schema or data; undefined for the safe ones and for a drop the file re-creates. */
function destructiveReason(statement: SqlStatement, recreated: (key: string) => boolean, before: CatalogSnapshot): string | undefined {
  const { kind, node } = statement;
  if (kind === 'TruncateStmt') return 'TRUNCATE deletes every row';
  if (kind === 'DeleteStmt' && !node.whereClause) return 'DELETE without WHERE deletes every row';
  if (kind === 'UpdateStmt' && !node.whereClause) return 'UPDATE without WHERE overwrites every row';
  if (kind === 'DropStmt') {
    const drops = statementObjects(statement).drops.filter((object) => !recreated(object.key));
    if (drops.length === 0) return undefined;
    return `drops ${drops.map((object) => `${object.kind.replace(/_/g, ' ')} ${object.key}`).join(', ')}`;
  }
  if (kind === 'AlterTableStmt') {
    const reasons: string[] = [];
    const table = node.relation ? `${node.relation.schemaname ?? 'public'}.${node.relation.relname}` : '?';
    for (const cmd of nodesOf(node.cmds, 'AlterTableCmd')) {
      if (cmd.subtype === 'AT_DropColumn') reasons.push(`drops column ${table}.${cmd.name} and its data`);
      if (cmd.subtype === 'AT_DropConstraint' && !recreated(`${table}.${cmd.name}`)) reasons.push(`drops constraint ${cmd.name}`);
      if (cmd.subtype === 'AT_AlterColumnType') {
        const column = before.tables.find((candidate) => candidate.key === table)?.columns.find((candidate) => candidate.name === cmd.name);
        reasons.push(`changes the type of ${table}.${cmd.name}${column ? ` (now ${column.type})` : ''}: values that do not fit fail or are cast, possibly losing precision`);
      }
    }
    return reasons.length ? reasons.join('; ') : undefined;
  }
  return undefined;
}

/** Views, functions and triggers that depend on a table (or one of its columns), read on the shadow. */
async function dependentsOf(session: DbSession, table: string, column: string | undefined): Promise<DependentObject[]> {
  const on = column ? `${table}.${column}` : table;
  const { rows: views } = await session.query<{ key: string; relkind: string }>(
    `SELECT DISTINCT format('%s.%s', n.nspname, v.relname) AS key, v.relkind::text AS relkind
       FROM pg_depend d
       JOIN pg_rewrite r ON r.oid = d.objid AND d.classid = 'pg_rewrite'::regclass
       JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace
      WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass($1::text) AND v.oid <> d.refobjid
        AND ($2::text IS NULL OR d.refobjsubid = (SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass($1::text) AND attname = $2::text::name))
      ORDER BY 1`,
    [table, column ?? null],
  );
  const name = table.split('.')[1]!;
  // Functions: pg_depend for SQL-standard bodies, else the body names the table (and the column).
  const { rows: functions } = await session.query<{ key: string; via: string }>(
    `SELECT format('%s.%s(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS key,
            CASE WHEN EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                AND d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass($1::text)) THEN 'pg_depend' ELSE 'body' END AS via
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind IN ('f', 'p')
        AND (EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                       AND d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass($1::text))
             OR (p.prosrc ~* ('\\m' || $2::text || '\\M') AND ($3::text IS NULL OR p.prosrc ~* ('\\m' || $3::text || '\\M'))))
        AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
      ORDER BY 1`,
    [table, name, column ?? null],
  );
  const { rows: triggers } = column
    ? { rows: [] as { key: string }[] }
    : await session.query<{ key: string }>(
        `SELECT format('%s.%s', $1::text, t.tgname) AS key FROM pg_trigger t WHERE t.tgrelid = to_regclass($1::text) AND NOT t.tgisinternal ORDER BY 1`,
        [table],
      );
  return [
    ...views.map((view) => ({ kind: view.relkind === 'm' ? ('materialized_view' as const) : ('view' as const), key: view.key, on, via: 'pg_depend' as const })),
    ...functions.map((fn) => ({ kind: 'function' as const, key: fn.key, on, via: fn.via as 'pg_depend' | 'body' })),
    ...triggers.map((trigger) => ({ kind: 'trigger' as const, key: trigger.key, on, via: 'pg_depend' as const })),
  ];
}

/**
 * What a statement changes that others may read: columns it adds, alters or drops, and relations it
 * drops (as `table` or `table` + `column`). Table-level changes that keep the shape (RLS, a
 * constraint validated, a comment) have no dependents to warn about.
 */
function changedColumns(statement: SqlStatement): { table: string; column?: string }[] {
  const objects = statementObjects(statement);
  const result: { table: string; column?: string }[] = [];
  for (const object of [...objects.alters, ...objects.drops]) {
    if (object.kind === 'column' && object.table) result.push({ table: object.table, column: object.key.slice(object.table.length + 1) });
  }
  for (const object of objects.drops) {
    if (object.kind === 'table' || object.kind === 'view' || object.kind === 'materialized_view') result.push({ table: object.key });
  }
  if (statement.kind === 'RenameStmt' && statement.node.relation?.relname) {
    const table = `${statement.node.relation.schemaname ?? 'public'}.${statement.node.relation.relname}`;
    result.push(statement.node.renameType === 'OBJECT_COLUMN' ? { table, column: statement.node.subname } : { table });
  }
  return result;
}

function locationOf(sourceMap: readonly SourceMapEntry[], key: string): SourceLocation | undefined {
  const entry = findSource(sourceMap, key) ?? sourceMap.find((candidate) => candidate.key.split('(')[0] === key.split('(')[0] && candidate.kind === 'function');
  return entry ? { file: entry.file, line: entry.line } : undefined;
}

export async function impactReport(config: PgwardenConfig, path: string): Promise<ImpactReport> {
  await loadParser();
  const absolute = resolve(config.root, path);
  const relPath = toRelPath(config.root, absolute);
  const migration = parseMigration({ path: absolute, relPath, text: readFileSync(absolute, 'utf8') });
  // The text as parseMigration holds it (without a byte order mark), as the shadow runs it.
  const { text } = migration;
  const parsed = parseSql(text);
  const statements = parsed.statements.filter((statement) => statement.kind !== 'TransactionStmt');
  // A DO block speaks through the statements inside it (IF NOT EXISTS guards around DDL).
  const topOf = (statement: SqlStatement): SqlStatement => (statement.parent ? topOf(statement.parent) : statement);
  const inner = (statement: SqlStatement): SqlStatement[] => {
    if (statement.kind !== 'DoStmt') return [statement];
    const nested = parsed.nested.filter((candidate) => topOf(candidate) === statement && candidate.kind !== 'DoStmt');
    return nested.length ? nested : [statement];
  };
  const objectsOf = (statement: SqlStatement) => {
    const all = inner(statement).map(statementObjects);
    return { defines: all.flatMap((objects) => objects.defines), alters: all.flatMap((objects) => objects.alters), drops: all.flatMap((objects) => objects.drops) };
  };

  let proof: MigrationProof | undefined;
  let sourceMap: SourceMapEntry[] = [];
  const dependents: DependentObject[] = [];
  const linter = new DeepLinter(config, {
    paths: [absolute],
    observe: {
      before: async (shadow: ShadowDatabase) => {
        sourceMap = shadow.sourceMap;
        const session = await shadow.database.session();
        try {
          const seen = new Set<string>();
          // Tables the migration creates have no readers yet besides its own statements.
          const created = new Set(statements.flatMap((statement) => objectsOf(statement).defines.map((object) => object.key)));
          for (const target of statements.flatMap((statement) => inner(statement)).flatMap(changedColumns)) {
            if (created.has(target.table)) continue;
            for (const dependent of await dependentsOf(session, target.table, target.column)) {
              const id = `${dependent.kind} ${dependent.key} ${dependent.on}`;
              if (seen.has(id)) continue;
              seen.add(id);
              dependents.push({ ...dependent, ...(locationOf(sourceMap, dependent.key) ? { definedAt: locationOf(sourceMap, dependent.key)! } : {}) });
            }
          }
        } finally {
          await session.close();
        }
      },
      after: async (_shadow, result) => {
        proof = result;
      },
    },
  });
  await linter.run();
  if (!proof) throw new Error(`${relPath}: the migration was not proved on the shadow`);

  // Lock, rewrite and scan knowledge of the lint rules, on the configured Postgres version.
  const ruleConfig: PgwardenConfig = { ...config, rules: { ...config.rules, ...Object.fromEntries(LOCK_RULES.map((rule) => [rule, 'info'])) } };
  // Suppressions are for the lint output: a deliberate rewrite is still a rewrite.
  const ruleFindings = await lintSource(ruleConfig, { relPath, text, suppressions: false }, [...LOCK_RULES]);
  const indexTables = new Map<string, string>();
  for (const table of proof.before.tables) for (const index of table.indexes) indexTables.set(`${table.schema}.${index.name}`, table.key);

  const defined = statements.map((statement) => objectsOf(statement).defines.map((object) => object.key));
  const impacts: StatementImpact[] = statements.map((statement, index) => {
    const createdEarlier = new Set(defined.slice(0, index).flat());
    const recreatedLater = new Set(defined.slice(index + 1).flat());
    const within = ruleFindings.filter((finding) => finding.line >= statement.range.start.line && finding.line <= statement.range.end.line);
    const scans = within.filter((finding) => SCAN_RULES.has(finding.rule)).map((finding) => finding.message);
    const locks: StatementLock[] = [];
    const destructive: string[] = [];
    for (const part of inner(statement)) {
      const exclusive = accessExclusiveLocks(part, config.postgresVersion, (key) => indexTables.get(key));
      const exclusiveTables = [...new Set((exclusive?.locked ?? []).map((locked) => locked.key ?? locked.text).filter((key) => !createdEarlier.has(key)))];
      for (const lock of statementLocks(part, exclusiveTables, (key) => indexTables.get(key))) {
        const tables = lock.tables.filter((table) => !createdEarlier.has(table));
        const same = locks.find((existing) => existing.mode === lock.mode);
        if (same) same.tables = [...new Set([...same.tables, ...tables])];
        else if (tables.length) locks.push({ mode: lock.mode, tables });
      }
      const table = part.kind === 'IndexStmt' ? statementObjects(part).defines[0]?.table : undefined;
      if (table && !createdEarlier.has(table)) scans.push(`building the index reads the whole of ${table}`);
      const reason = destructiveReason(part, (key) => recreatedLater.has(key), proof!.before);
      if (reason) destructive.push(reason);
    }
    const objects = objectsOf(statement);
    const kinds = [...new Set(inner(statement).map(kindName))];
    return {
      line: statement.range.start.line,
      endLine: statement.range.end.line,
      kind: statement.kind === 'DoStmt' && kinds[0] !== 'DO' ? `DO (${kinds.join(', ')})` : kindName(statement),
      locks: locks.filter((lock) => lock.tables.length > 0),
      rewrites: within.filter((finding) => finding.rule === 'table-rewrite').map((finding) => finding.message),
      scans: [...new Set(scans)],
      objects: [...new Set([...objects.defines, ...objects.alters, ...objects.drops].map((object) => object.key))],
      ...(destructive.length ? { destructive: destructive.join('; ') } : {}),
    };
  });

  const tables = new Set<string>();
  for (const statement of statements) {
    const objects = objectsOf(statement);
    for (const object of [...objects.defines, ...objects.alters, ...objects.drops]) {
      if (object.table) tables.add(object.table);
      else if (['table', 'view', 'materialized_view'].includes(object.kind)) tables.add(object.key);
    }
  }
  for (const impact of impacts) for (const lock of impact.locks) for (const table of lock.tables) if (/^[^.\s]+\.[^.\s]+$/.test(table)) tables.add(table);

  // As the shadow read them (no byte order mark): the edits' offsets and lines are those of the parsed text.
  const schemaFiles = readSqlTexts(config.root, listSchemaFiles(config.root, config.schemaDir)).map(({ relPath, text }) => ({ path: relPath, text }));
  const reflected = proof.reflected;
  const fix = reflected ? undefined : planSchemaFix(schemaFiles, [{ path: relPath, text, sourceOfTruthFiles: (migration.header?.sourceOfTruth ?? []).map((ref) => ref.file) }], proof.changes);
  const schemaEdits: SchemaEdit[] = fix
    ? [
        ...fix.written.map((note) => ({ file: note.file ?? config.schemaDir, ...(note.line ? { line: note.line } : {}), message: note.message, writable: true })),
        ...fix.unwritable.map((note) => ({ file: note.file ?? config.schemaDir, ...(note.line ? { line: note.line } : {}), message: note.message, writable: false })),
      ]
    : [];

  const own = proof.findings;
  const idempotencyProblems = own.filter((finding) => finding.rule === 'deep-not-idempotent').map((finding) => `line ${finding.line}: ${finding.message}`);
  const rollbackProblems = own.filter((finding) => finding.rule.startsWith('deep-rollback')).map((finding) => `line ${finding.line}: ${finding.message}`);
  // A statement that failed ran neither time, so a clean second run or rollback proves nothing about it.
  const { failedStatements } = proof;
  const provable = failedStatements.length === 0;
  const rollbackRestores = reflected ? undefined : rollbackProblems.length > 0 ? false : provable ? true : undefined;
  return {
    file: relPath,
    postgresVersion: config.postgresVersion,
    statements: impacts,
    affectedTables: [...tables].sort().map((table) => ({ table, ...(locationOf(sourceMap, table) ? { definedAt: locationOf(sourceMap, table)! } : {}) })),
    dependents: dependents.sort((a, b) => (a.on + a.key < b.on + b.key ? -1 : a.on + a.key > b.on + b.key ? 1 : 0)),
    idempotent: { proved: provable && idempotencyProblems.length === 0, problems: idempotencyProblems },
    rollback: migration.rollback ? { script: true, ...(rollbackRestores === undefined ? {} : { restores: rollbackRestores }), problems: rollbackProblems } : { script: false, problems: [] },
    failedStatements,
    reflected,
    schemaEdits,
    findings: own.map(({ line, rule, severity, message }) => ({ line, rule, severity, message })),
  };
}

/** A table key as the header writes it: without `public.`. */
function headerTableName(key: string): string {
  return key.startsWith('public.') ? key.slice('public.'.length) : key;
}

/**
 * The migration text with AFFECTED TABLES and SOURCE OF TRUTH SCHEMA UPDATED filled from the
 * report; the body and every other header line are left as written (the checksum does not change).
 * SOURCE OF TRUTH is written only when the report found current_schema/ edits: an already
 * reflected migration keeps the entries its author wrote.
 */
export function writeImpactIntoHeader(text: string, report: ImpactReport): string {
  let result = text;
  const tables = report.affectedTables.map((table) => headerTableName(table.table));
  if (tables.length > 0) result = setHeaderSection(result, 'AFFECTED TABLES', tables.join(', '));
  if (report.schemaEdits.length > 0) {
    const entries = report.schemaEdits.map((edit) => `[ ] ${edit.file} (${edit.line ? `Line ${edit.line}` : 'Line ?'}: ${edit.message.replace(/\s*\([^)]*\)/g, '').replace(/[()]/g, '')})`);
    result = setHeaderSection(result, 'SOURCE OF TRUTH SCHEMA UPDATED', '', entries);
  }
  return result;
}

/**
 * `plan --write` (CLI and Nx): fills the header of the migration at `path` from its report,
 * atomically, leaving the body (so the checksum and approvals) as it is. The header is edited in
 * the text every reader parses (no byte order mark); a file that had a mark keeps it at the very
 * start. 'no-header': the file has no header block to fill, and nothing is written.
 */
export async function writeImpactIntoFile(config: PgwardenConfig, path: string, report: ImpactReport): Promise<'updated' | 'unchanged' | 'no-header'> {
  const absolute = resolve(config.root, path);
  const { text, byteOrderMark } = readSqlTexts(config.root, [absolute])[0]!;
  if (!parseMigration({ path: absolute, relPath: toRelPath(config.root, absolute), text }).header) return 'no-header';
  const updated = writeImpactIntoHeader(text, report);
  if (updated === text) return 'unchanged';
  await writeFileAtomically(absolute, withByteOrderMark(updated, byteOrderMark));
  return 'updated';
}
