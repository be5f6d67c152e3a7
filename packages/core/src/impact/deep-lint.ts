/**
 * `lint --deep`: what only a database can find. Each migration that is not executed yet (or each
 * named file) is applied, in version order, to a shadow of current_schema/ with the earlier
 * pending migrations applied, and:
 *  1. every statement runs in its own savepoint, so each failing statement is reported;
 *  2. the functions it creates or replaces are verified;
 *  3. a CREATE OR REPLACE FUNCTION that created a second overload instead of replacing is named;
 *  4. it is applied a second time: that must succeed and leave the catalog unchanged;
 *  5. its rollback script, when it has one, must bring the catalog back to where it was;
 *  6. the catalog lints run on the objects it created or changed.
 */
import { diffCatalogs } from '../catalog/diff.js';
import { runCatalogLints } from '../catalog/lints/run.js';
import type { CatalogFinding } from '../catalog/lints/types.js';
import { qualifiedKey } from '../catalog/identity.js';
import type { CatalogChange, CatalogSnapshot, FunctionInfo } from '../catalog/types.js';
import type { PgwardenConfig } from '../config/types.js';
import type { DbSession } from '../db/types.js';
import { discoverMigrationsIfPresent, parseMigration, sortByVersion, toRelPath } from '../migration/index.js';
import type { Migration } from '../migration/types.js';
import type { Finding, Severity } from '../rules/types.js';
import { applyParsedFiles } from '../shadow/apply.js';
import { buildShadow, shadowOptionsFromConfig } from '../shadow/build.js';
import { definitionsOf } from '../shadow/definitions.js';
import { extensionsCreatedIn } from '../shadow/extensions.js';
import { listSchemaFiles, readSqlFiles, type ShadowSourceFile } from '../shadow/schema-files.js';
import { ExtensionGaps, namesMissingExtension } from '../shadow/extension-gaps.js';
import { functionBodyFileLine } from '../shadow/lookup.js';
import { workspaceSnapshot } from '../shadow/snapshot.js';
import { regprocedureSignature, SourceMapBuilder } from '../shadow/source-map.js';
import type { ApplyFailure, ShadowDatabase, SourceMapEntry } from '../shadow/types.js';
import { loadParser, parseSql, relationsOf } from '../sql/index.js';
import { stringOf } from '../sql/nodes.js';
import type { SqlStatement } from '../sql/types.js';
import { verifyFunctions } from '../verify/index.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { appliedBefore, isExecutedMigration, reflectedInCurrentSchema } from './pending.js';
import { DEEP_RULES, type DeepRuleId } from './rules.js';
import { withoutSuppressed, workspaceText } from '../lint/suppress-findings.js';

export interface DeepLintOptions {
  /** Files to check (any state); default: every migration that is not executed yet. */
  paths?: string[];
  engine?: 'auto' | 'plpgsql_check' | 'builtin';
  /**
   * Called for each proved migration while its shadow is still open, before the migration is
   * applied (`before`) and after its proofs (`after`): the impact report reads the shadow there.
   */
  observe?: ProofObserver;
}

/** What the proofs established about one migration (shared by `lint --deep` and the impact report). */
export interface MigrationProof {
  migration: Migration;
  file: ShadowSourceFile;
  /** The schema the migration met and the one its first run left. */
  before: CatalogSnapshot;
  after: CatalogSnapshot;
  changes: CatalogChange[];
  /** Where the migration's own statements define objects (function keys resolved on the shadow). */
  sources: SourceMapEntry[];
  /** current_schema/ already held the migration's changes: the first run changed nothing. */
  reflected: boolean;
  /** First lines of the statements that failed on the first run: the proofs say nothing about what they would do. */
  failedStatements: number[];
  /** This migration's findings from the proofs (deep rules, function verifier, catalog lints). */
  findings: Finding[];
  /** The schema the shadow holds once the proofs are done. */
  final: CatalogSnapshot;
}

export interface ProofObserver {
  before?(shadow: ShadowDatabase, migration: Migration, file: ShadowSourceFile): Promise<void>;
  after?(shadow: ShadowDatabase, proof: MigrationProof): Promise<void>;
}

export interface DeepLintReport {
  findings: Finding[];
  /** Migrations proved, in version order (workspace-relative). */
  checked: string[];
  /** Functions verified across them. */
  functionsVerified: number;
  cache: ShadowDatabase['cache'];
}


type Where = Pick<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>;

function at(file: string, line: number, column = 1): Where {
  return { file, line, column, endLine: line, endColumn: column };
}

class FindingSink {
  readonly findings: Finding[] = [];
  constructor(private readonly config: PgwardenConfig) {}

  add(rule: string, defaultSeverity: Severity, where: Where, message: string, hint?: string): void {
    const setting = this.config.rules[rule];
    if (setting === 'off') return;
    this.findings.push({ ...where, rule, severity: setting ?? defaultSeverity, message, ...(hint ? { hint } : {}) });
  }

  deep(rule: DeepRuleId, where: Where, message: string, hint?: string): void {
    this.add(rule, DEEP_RULES[rule].defaultSeverity, where, message, hint);
  }

  /** A failure that is the shadow's, not the migration's (an extension it lacks): at most a warning, naming what would prove it. */
  notProvable(rule: DeepRuleId, where: Where, extension: string, message: string): void {
    const setting = this.config.rules[rule];
    if (setting === 'off') return;
    const hint = `set shadow.url (or shadow.urlEnv) in pgwarden.config.json to a PostgreSQL server that has ${extension} to prove it`;
    this.findings.push({ ...where, rule, severity: setting === 'info' ? 'info' : 'warning', message: `cannot be proved on the shadow, which lacks extension ${extension}: ${message}`, hint });
  }
}

const baseName = (key: string) => key.slice(0, key.indexOf('('));

/** Functions by `schema.name`, for overload detection. */
function functionsByName(snapshot: CatalogSnapshot): Map<string, FunctionInfo[]> {
  const byName = new Map<string, FunctionInfo[]>();
  for (const fn of snapshot.functions) byName.set(baseName(fn.key), [...(byName.get(baseName(fn.key)) ?? []), fn]);
  return byName;
}

/** Where each object a file defines is written in it, with function keys resolved on the database. */
async function sourceMapOf(file: ShadowSourceFile, session: DbSession): Promise<SourceMapEntry[]> {
  const builder = new SourceMapBuilder();
  let index = 0;
  const record = async (statement: SqlStatement) => builder.record({ index: index++, file, statement }, definitionsOf(statement), session);
  // record() resolves functions inside savepoints: it needs a transaction of its own.
  await session.exec('BEGIN');
  try {
    for (const statement of file.parsed.statements) await record(statement);
  } finally {
    await session.exec('COMMIT');
  }
  return builder.finish(session);
}

/** The top-level statement of the file that holds a line (for findings about a statement's effect). */
function statementAt(file: ShadowSourceFile, line: number): SqlStatement | undefined {
  return file.parsed.statements.find((statement) => statement.range.start.line <= line && line <= statement.range.end.line);
}

function objectsTouched(changes: readonly CatalogChange[]): Set<string> {
  const keys = new Set<string>();
  for (const change of changes) {
    if (change.action === 'removed') continue;
    keys.add(change.object.key);
    // A changed member makes its table "touched" too (a policy added to a table, a column added).
    const parts = change.object.key.split('(')[0]!.split('.');
    if (parts.length > 2) keys.add(parts.slice(0, 2).join('.'));
  }
  return keys;
}

/** The existing function a CREATE OR REPLACE would have to drop first, as `to_regprocedure` resolves its signature. */
async function existingSignature(session: DbSession, statement: SqlStatement): Promise<string | undefined> {
  if (statement.kind !== 'CreateFunctionStmt') return undefined;
  const signature = regprocedureSignature(statement.node);
  if (!signature) return undefined;
  try {
    const { rows } = await session.query<{ found: string | null }>(
      `SELECT format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS found
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = to_regprocedure($1)`,
      [signature],
    );
    return rows[0]?.found ?? undefined;
  } catch {
    return undefined;
  }
}

const REPLACE_NEEDS_DROP = /cannot change return type of existing function|cannot remove parameter defaults from existing function|cannot change name of input parameter|cannot change whether a procedure has output parameters/;

export class DeepLinter {
  private readonly sink: FindingSink;

  /** Extensions the shadow lacks and what they kept from it (set by run). */
  private gaps = new ExtensionGaps([], []);

  constructor(
    private readonly config: PgwardenConfig,
    private readonly options: DeepLintOptions = {},
  ) {
    this.sink = new FindingSink(config);
  }

  async run(): Promise<DeepLintReport> {
    await loadParser();
    const { config } = this;
    const paths = sortByVersion(await discoverMigrationsIfPresent(resolve(config.root, config.migrationsDir)));
    const history = paths.map((path) => parseMigration({ path, relPath: toRelPath(config.root, path), text: readFileSync(path, 'utf8') }));
    const named = new Set((this.options.paths ?? []).map((path) => resolve(config.root, path)));
    const targets = named.size ? history.filter((migration) => named.has(migration.path)) : history.filter((migration) => !isExecutedMigration(migration, config));
    // Named files outside the history folder are proved too, after the history's pending ones.
    for (const path of named) if (!history.some((migration) => migration.path === path)) targets.push(parseMigration({ path, relPath: toRelPath(config.root, path), text: readFileSync(path, 'utf8') }));
    const targetPaths = new Set(targets.map((migration) => migration.path));
    // The schema a target meets: current_schema/ plus the earlier migrations it does not reflect yet
    // (replaying reflected ones would bring back what later migrations removed).
    const needed = new Set(targets.flatMap((target) => appliedBefore(history, target, config)));
    const sequence = history.filter((migration) => targetPaths.has(migration.path) || needed.has(migration));
    for (const target of targets) if (!sequence.includes(target)) sequence.push(target);

    // Nothing to prove (every migration executed): no shadow to build.
    if (targets.length === 0) return { findings: [], checked: [], functionsVerified: 0, cache: 'off' };
    const parsed = await readSqlFiles(config.root, sequence.map((migration) => migration.path));
    // A PGlite shadow starts with the extensions it is asked for: those the migrations (and their
    // rollback scripts) create must be registered before they run.
    const rollbacks = sequence.flatMap((migration) => (migration.rollback ? [{ parsed: parseSql(migration.rollback.text) }] : []));
    const options = { ...shadowOptionsFromConfig(config), extensions: extensionsCreatedIn([...parsed, ...rollbacks]) };
    let shadow = await buildShadow(options);
    const cache = shadow.cache;
    // What current_schema/ could not build for want of an extension: statements that miss it are not the migrations' faults.
    this.gaps = new ExtensionGaps(shadow.findings, namesMissingExtension(shadow.findings) ? await readSqlFiles(config.root, listSchemaFiles(config.root, config.schemaDir)) : []);
    let functionsVerified = 0;
    // Migrations on the shadow that current_schema/ lacks: replayed when the shadow is rebuilt.
    const carried: ShadowSourceFile[] = [];
    // Nothing applied yet: the schema is the built one, whose snapshot the shadow cache keeps.
    let asBuilt = true;
    try {
      for (const [position, migration] of sequence.entries()) {
        const file = parsed[position]!;
        const reflected = reflectedInCurrentSchema(migration, this.config);
        if (!targetPaths.has(migration.path)) {
          await applyParsedFiles(shadow, [file]);
          asBuilt = false;
          carried.push(file);
          continue;
        }
        await this.options.observe?.before?.(shadow, migration, file);
        const proof = await this.prove(shadow, migration, file, asBuilt);
        asBuilt = false;
        functionsVerified += proof.verified;
        await this.options.observe?.after?.(shadow, proof);
        if (!reflected) {
          carried.push(file);
        } else if (diffCatalogs(proof.before, proof.final).length > 0) {
          // Proving a migration current_schema/ already reflects changed the shadow (it brought back
          // objects a later migration removed): later migrations must not meet that state.
          await shadow.close();
          shadow = await buildShadow(options);
          if (carried.length > 0) await applyParsedFiles(shadow, carried);
          asBuilt = carried.length === 0;
        }
      }
    } finally {
      await shadow.close();
    }
    const findings = await withoutSuppressed(this.sink.findings, workspaceText(config.root));
    return { findings, checked: targets.map((migration) => migration.relPath), functionsVerified, cache };
  }

  /** Proves one migration on the shadow, leaving the shadow with the migration applied once. */
  private async prove(shadow: ShadowDatabase, migration: Migration, file: ShadowSourceFile, asBuilt: boolean): Promise<MigrationProof & { verified: number }> {
    const firstFinding = this.sink.findings.length;
    const preset = this.config.shadow.preset ?? this.config.preset;
    const before = asBuilt ? await shadow.builtSnapshot() : await workspaceSnapshot(shadow.database, preset);
    const session = await shadow.database.session();
    try {
      // 1. Apply statement by statement.
      const first = await applyParsedFiles(shadow, [file]);
      for (const failure of first.failures) await this.reportFailure(session, file, failure, before);
      const after = await workspaceSnapshot(shadow.database, preset);
      const changes = diffCatalogs(before, after);
      const sources = await sourceMapOf(file, session);
      const locate = (key: string): Where => {
        const entry = sources.find((source) => source.key === key) ?? sources.find((source) => key.startsWith(`${source.key}.`));
        if (entry) return at(entry.file, entry.line, entry.column);
        // Not defined here (an ALTER of an existing table): the first statement that names its table.
        const statement = statementNaming(file, key.split('.').slice(0, 2).join('.'));
        return statement ? at(file.relPath, statement.range.start.line, statement.range.start.column) : at(file.relPath, migration.bodyStartLine);
      };

      // current_schema/ may already hold what the migration does (touchpoint 2 done before execution):
      // then the first run changes nothing, and the schema before it cannot be known here.
      // The header saying so (source of truth ticked) means the same: later migrations may have changed
      // what this one created, so the schema before it is not known either.
      const unchanged = changes.length === 0 && first.failures.length === 0;
      const reflected = unchanged || reflectedInCurrentSchema(migration, this.config);

      // 3. Overloads: a replace that left the old signature beside the new one.
      if (!unchanged) this.reportOverloads(file, before, after, sources);

      // 2. Functions it created or replaced.
      const ownFunctions = sources.filter((source) => source.kind === 'function').map((source) => source.key);
      const changedFunctions = [...new Set([...ownFunctions, ...changes.filter((change) => change.object.kind === 'function' && change.action !== 'removed').map((change) => change.object.key)])];
      let verified = 0;
      if (changedFunctions.length > 0) {
        const result = await verifyFunctions(shadow.database, { schemas: after.schemas.map((schema) => schema.name), functions: changedFunctions, engine: this.options.engine ?? 'auto' });
        verified = result.checked;
        for (const defect of result.defects) {
          const entry = sources.find((source) => source.key === defect.function);
          const line = (entry && defect.bodyLine !== undefined ? functionBodyFileLine(entry, defect.bodyLine) : undefined) ?? entry?.line ?? migration.bodyStartLine;
          this.sink.add(defect.rule, defect.severity, at(file.relPath, line, defect.column ?? 1), `${defect.function}: ${defect.message}`, defect.hint);
        }
      }

      // 6. Catalog lints on what it created or changed, and only what it brought there: a table that
      // lacked row level security before the migration added a column is current_schema/'s finding
      // (check reports it), not this file's. Reflected, the schema before it is not known: the
      // touched objects are then those the file defines.
      const touched = objectsTouched(changes);
      for (const source of sources) touched.add(source.key);
      const lintIdentity = (finding: CatalogFinding) => `${finding.rule}\u0000${finding.object.key}`;
      const alreadyThere = reflected ? new Set<string>() : new Set((await runCatalogLints(before, this.config)).map(lintIdentity));
      for (const finding of await runCatalogLints(after, this.config)) {
        const key = finding.object.key;
        const table = key.split('.').slice(0, 2).join('.');
        if ((!touched.has(key) && !touched.has(table)) || alreadyThere.has(lintIdentity(finding))) continue;
        this.sink.add(finding.rule, finding.severity, locate(key), finding.message, finding.hint);
      }

      // 4. Idempotency: a second run succeeds and changes nothing.
      const failedFirst = new Set(first.failures.map((failure) => statementAt(file, failure.line)?.range.start.line ?? failure.line));
      const second = await applyParsedFiles(shadow, [file]);
      for (const failure of second.failures) {
        if (failedFirst.has(statementAt(file, failure.line)?.range.start.line ?? failure.line)) continue;
        this.sink.deep('deep-not-idempotent', at(file.relPath, failure.line, failure.column), `fails when the migration runs a second time: ${failure.message}`, 'guard it (IF NOT EXISTS / IF EXISTS, a DO block that checks the catalog, DROP ... IF EXISTS before CREATE) so that a rerun after a partial failure is safe');
      }
      const afterSecond = await workspaceSnapshot(shadow.database, preset);
      for (const change of diffCatalogs(after, afterSecond)) {
        this.sink.deep('deep-not-idempotent', locate(change.object.key), `a second run changes the schema: ${change.message}`, 'a rerun must leave the schema as the first run left it');
      }

      // 5. Rollback: the script brings the catalog back to where it was.
      const final = migration.rollback ? await this.proveRollback(shadow, migration, file, reflected ? undefined : before, afterSecond) : afterSecond;
      const failedStatements = [...failedFirst].sort((a, b) => a - b);
      return { migration, file, before, after, changes, sources, reflected, failedStatements, findings: this.sink.findings.slice(firstFinding), final, verified };
    } finally {
      await session.close();
    }
  }

  private async reportFailure(session: DbSession, file: ShadowSourceFile, failure: ApplyFailure, before: CatalogSnapshot): Promise<void> {
    const extension = this.gaps.behind(failure);
    if (extension) return this.sink.notProvable('deep-statement-failed', at(failure.file, failure.line, failure.column), extension, failure.message);
    let hint = failure.hint;
    if (REPLACE_NEEDS_DROP.test(failure.message)) {
      const statement = statementAt(file, failure.line);
      const existing = statement ? await existingSignature(session, statement) : undefined;
      const fallback = statement?.kind === 'CreateFunctionStmt' ? before.functions.find((fn) => baseName(fn.key) === functionBaseName(statement)) : undefined;
      const signature = existing ?? fallback?.key;
      if (signature) hint = `CREATE OR REPLACE cannot do this: add DROP FUNCTION IF EXISTS ${signature}; before it (and re-grant its privileges)`;
    }
    this.sink.deep('deep-statement-failed', at(failure.file, failure.line, failure.column), failure.message, hint);
  }

  private reportOverloads(file: ShadowSourceFile, before: CatalogSnapshot, after: CatalogSnapshot, sources: readonly SourceMapEntry[]): void {
    const earlier = functionsByName(before);
    const beforeKeys = new Set(before.functions.map((fn) => fn.key));
    const afterKeys = new Set(after.functions.map((fn) => fn.key));
    for (const fn of after.functions) {
      if (beforeKeys.has(fn.key)) continue;
      const survivors = (earlier.get(baseName(fn.key)) ?? []).filter((old) => afterKeys.has(old.key));
      if (survivors.length === 0) continue;
      const entry = sources.find((source) => source.key === fn.key);
      const statement = entry ? statementAt(file, entry.line) : undefined;
      // Only a replace means "instead of": a plain CREATE FUNCTION of a new overload is on purpose.
      if (!statement || statement.kind !== 'CreateFunctionStmt' || !statement.node.replace) continue;
      const old = survivors.map((survivor) => survivor.key);
      this.sink.deep(
        'deep-function-overload',
        at(file.relPath, statement.range.start.line, statement.range.start.column),
        `CREATE OR REPLACE FUNCTION ${fn.key} did not replace ${old.join(', ')}: the argument list differs, so both functions now exist and calls that fit both fail with "function is not unique"`,
        `drop the old one first: ${old.map((signature) => `DROP FUNCTION IF EXISTS ${signature};`).join(' ')}`,
      );
    }
  }

  /**
   * Runs the rollback script after the migration. With the schema from before the migration
   * known, the rollback must restore it; either way, the migration must apply again afterwards
   * and give the same schema (rollback, then roll forward).
   */
  private async proveRollback(shadow: ShadowDatabase, migration: Migration, file: ShadowSourceFile, before: CatalogSnapshot | undefined, applied: CatalogSnapshot): Promise<CatalogSnapshot> {
    const preset = this.config.shadow.preset ?? this.config.preset;
    const rollback = migration.rollback!;
    const script: ShadowSourceFile = { relPath: file.relPath, text: rollback.text, parsed: parseSql(rollback.text) };
    const result = await applyParsedFiles(shadow, [script]);
    for (const failure of result.failures) {
      // Data restores (UPDATE ... FROM a backup table) need production's data: only schema statements are proved.
      const statement = statementAt(script, failure.line);
      if (statement && DATA_STATEMENTS.has(statement.kind)) continue;
      const extension = this.gaps.behind(failure);
      if (extension) {
        this.sink.notProvable('deep-rollback-failed', at(file.relPath, rollback.textLine + failure.line - 1), extension, `the rollback script fails: ${failure.message}`);
        continue;
      }
      this.sink.deep('deep-rollback-failed', at(file.relPath, rollback.textLine + failure.line - 1), `the rollback script fails: ${failure.message}`, failure.hint);
    }
    if (before) {
      const rolledBack = await workspaceSnapshot(shadow.database, preset);
      for (const change of diffCatalogs(before, rolledBack)) {
        const what = `${change.object.kind.replace(/_/g, ' ')} ${change.object.key}`;
        const message =
          change.action === 'added'
            ? `the rollback script leaves ${what}, which the migration created`
            : change.action === 'removed'
              ? `the rollback script drops ${what}, which existed before the migration`
              : `after the rollback script, the schema differs from before the migration: ${change.message}`;
        this.sink.deep('deep-rollback-incomplete', at(file.relPath, rollback.line), message, 'the rollback must undo every change of the migration (or say in the header what it cannot undo)');
      }
    }
    // Roll forward again: the shadow continues with the migration applied, and that must give the same schema.
    await applyParsedFiles(shadow, [file]);
    const reapplied = await workspaceSnapshot(shadow.database, preset);
    for (const change of diffCatalogs(applied, reapplied)) {
      this.sink.deep('deep-rollback-incomplete', at(file.relPath, rollback.line), `after the rollback script, the migration no longer gives the same schema: ${change.message}`, 'the rollback must leave the schema the migration was written for');
    }
    return reapplied;
  }
}

const DATA_STATEMENTS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'CopyStmt', 'SelectStmt', 'MergeStmt']);

function functionBaseName(statement: SqlStatement<'CreateFunctionStmt'>): string {
  const names = (statement.node.funcname ?? []).map((item) => stringOf(item) ?? '');
  return names.length > 1 ? `${names[names.length - 2]}.${names[names.length - 1]}` : `public.${names[0]}`;
}

/** What `lint --deep` says it did (stderr of the CLI and the Nx lint target): never silent when it proved nothing. */
export function deepLintSummary(report: DeepLintReport, schemaDir: string): string {
  return report.checked.length === 0
    ? 'deep: no pending migration to prove (every migration is executed); name files to prove them anyway'
    : `deep: ${report.checked.length} migration(s) applied to a shadow of ${schemaDir} (cache: ${report.cache}), ${report.functionsVerified} function(s) verified`;
}

export function deepLint(config: PgwardenConfig, options: DeepLintOptions = {}): Promise<DeepLintReport> {
  return new DeepLinter(config, options).run();
}

// What a catalog finding is about (columns, keys, row level security) is made by these: a COMMENT or an INSERT naming the table first is not where to point.
const SHAPING_ACTIONS: ReadonlySet<string> = new Set(['create', 'alter', 'rls', 'rename']);

/**
 * The statement of the file (top level, or inside a DO block) that names the table `tableKey`
 * (`schema.table`): the first one that creates or alters it, else the first one that names it.
 */
function statementNaming(file: ShadowSourceFile, tableKey: string): SqlStatement | undefined {
  const naming = [...file.parsed.statements, ...file.parsed.nested]
    .sort((first, second) => first.range.start.offset - second.range.start.offset)
    .map((statement) => ({ statement, actions: relationsOf(statement).filter((relation) => qualifiedKey(relation.schema, relation.name) === tableKey).map((relation) => relation.action) }))
    .filter(({ actions }) => actions.length > 0);
  return (naming.find(({ actions }) => actions.some((action) => SHAPING_ACTIONS.has(action))) ?? naming[0])?.statement;
}
