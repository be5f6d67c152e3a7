/**
 * `pgwarden check`: proves that current_schema/ is the truth.
 *  1. it builds a fresh shadow with no failed statement (root causes, not cascades);
 *  2. it matches the history: current_schema/ at the base revision plus the migrations added
 *     since builds the same catalog as current_schema/ now;
 *  3. catalog lints on the built schema;
 *  4. every function verifies;
 *  5. optionally, a live database has not drifted from it;
 * and `--fix` writes the history's changes into current_schema/, then checks again.
 */
import { join, resolve } from 'node:path';
import { diffCatalogs } from '../catalog/diff.js';
import { runCatalogLints } from '../catalog/lints/run.js';
import { comparableAcrossVersions } from '../catalog/portable.js';
import type { CatalogChange, CatalogSnapshot } from '../catalog/types.js';
import type { PgwardenConfig } from '../config/types.js';
import type { Database } from '../db/types.js';
import { discoverMigrationsIfPresent, parseMigration, sortByVersion, toRelPath, withByteOrderMark, writeFileAtomically } from '../migration/index.js';
import type { Migration } from '../migration/types.js';
import { executedBy } from '../migration/execution-state.js';
import type { Finding, Severity } from '../rules/types.js';
import { buildShadow, findSource, functionBodyFileLine, shadowOptionsFromConfig, type ShadowDatabase, type SourceMapEntry } from '../shadow/index.js';
import { loadParser } from '../sql/index.js';
import { verifyFunctions, type VerifyResult } from '../verify/index.js';
import { readFileSync } from 'node:fs';
import { historyStatementFor, planSchemaFix, type FixNote, type MigrationSource } from './fix-schema.js';
import { applyParsedFiles } from '../shadow/apply.js';
import { extensionsCreatedIn } from '../shadow/extensions.js';
import { listSchemaFiles, parseSources, readSqlFiles, readSqlTexts } from '../shadow/schema-files.js';
import { ExtensionGaps, namesMissingExtension } from '../shadow/extension-gaps.js';
import { workspaceSnapshot } from '../shadow/snapshot.js';
import { filesAtRevision, resolveBase, type BaseRevision } from './git-base.js';
import { CHECK_RULES, type CheckRuleId } from './rules.js';
import { withoutSuppressed, workspaceText } from '../lint/suppress-findings.js';
import { proofCacheKey, readProof, writeProof, type ProvedSchema } from './proof-cache.js';

export interface CheckOptions {
  config: PgwardenConfig;
  /** `--base REV`; default: the merge-base with the default branch, else the executed migrations. */
  base?: string;
  /** Write the history's changes into current_schema/ and check again. */
  fix?: boolean;
  /** `--live`: a live database to compare with current_schema/ (the caller opens and closes it). */
  live?: { database: Database; label: string };
  /** Function verifier engine (default `auto`). */
  engine?: 'auto' | 'plpgsql_check' | 'builtin';
}

export interface ConsistencyReport {
  /** How the base was chosen (`merge-base with main`, `--base v1`, `executed migrations`). */
  base: string;
  /** Migrations compared (added since the base), in version order. */
  migrations: string[];
  /** What current_schema/ lacks, has in excess or has differently compared with the history. */
  changes: CatalogChange[];
  /** True when the comparison was skipped because nothing changed since the base. */
  unchanged: boolean;
}

export interface CheckReport {
  findings: Finding[];
  /** Schema (and migration) files the findings may point into, for code frames. */
  files: string[];
  schemaFiles: number;
  statements: number;
  cache: 'hit' | 'miss' | 'off';
  consistency: ConsistencyReport;
  functions: Pick<VerifyResult, 'engine' | 'checked'> & { unchecked: number };
  /** Differences with the live database, when `live` was given. */
  live?: { label: string; changes: CatalogChange[] };
  fixed?: { written: FixNote[]; unwritable: FixNote[]; files: string[] };
}

/** The workspace's schemas (preset-owned ones are already left out of the snapshot). */
function ownSchemas(snapshot: CatalogSnapshot): string[] {
  return snapshot.schemas.map((schema) => schema.name);
}

function severityOf(config: PgwardenConfig, rule: string, fallback: Severity): Severity | undefined {
  const setting = config.rules[rule];
  if (setting === 'off') return undefined;
  return setting ?? fallback;
}

/** Where an object is defined; a member without an entry of its own (a constraint, a column) points at its table. */
function locate(sourceMap: readonly SourceMapEntry[], key: string): SourceMapEntry | undefined {
  let candidate = key;
  for (;;) {
    const entry = findSource(sourceMap, candidate);
    if (entry) return entry;
    const dot = candidate.lastIndexOf('.');
    if (candidate.includes('(') || dot < 0 || candidate.indexOf('.') === dot) return undefined;
    candidate = candidate.slice(0, dot);
  }
}

function point(entry: SourceMapEntry | undefined, fallbackFile: string, line?: number): Pick<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'> {
  const at = line ?? entry?.line ?? 1;
  return { file: entry?.file ?? fallbackFile, line: at, column: line === undefined ? (entry?.column ?? 1) : 1, endLine: at, endColumn: line === undefined ? (entry?.column ?? 1) : 1 };
}

/** The workspace's own objects: preset-owned schemas and pgwarden's history are left out. */
function snapshotOf(database: Database, config: PgwardenConfig): Promise<CatalogSnapshot> {
  return workspaceSnapshot(database, config.shadow.preset ?? config.preset);
}



async function readHistory(config: PgwardenConfig): Promise<Migration[]> {
  const paths = sortByVersion(await discoverMigrationsIfPresent(resolve(config.root, config.migrationsDir)));
  return paths.map((path) => parseMigration({ path, relPath: toRelPath(config.root, path), text: readFileSync(path, 'utf8') }));
}

function migrationSources(migrations: readonly Migration[]): MigrationSource[] {
  return migrations.map((migration) => ({
    path: migration.relPath,
    text: migration.text,
    sourceOfTruthFiles: (migration.header?.sourceOfTruth ?? []).map((ref) => ref.file),
  }));
}

/**
 * Builds the schema the history means: current_schema/ as it was at the base (or nothing but the
 * preset) plus the migrations since, applied statement by statement.
 */
async function historyShadow(config: PgwardenConfig, baseFiles: { path: string; text: string }[], migrations: readonly Migration[], findings: Finding[]): Promise<ShadowDatabase> {
  const sources = baseFiles.map((file) => ({ relPath: file.path, text: file.text }));
  const migrationFiles = await readSqlFiles(config.root, migrations.map((migration) => migration.path));
  // The extensions the migrations create are registered on a PGlite shadow before they run.
  const shadow = await buildShadow({ ...shadowOptionsFromConfig(config), sources, extensions: extensionsCreatedIn(migrationFiles) });
  try {
    const applied = await applyParsedFiles(shadow, migrationFiles);
    const gaps = new ExtensionGaps(shadow.findings, applied.failures.length > 0 && namesMissingExtension(shadow.findings) ? await parseSources(sources) : []);
    for (const failure of applied.failures) {
      const severity = severityOf(config, 'history-migration-failed', CHECK_RULES['history-migration-failed'].defaultSeverity);
      if (!severity) continue;
      const where = { file: failure.file, line: failure.line, column: failure.column, endLine: failure.line, endColumn: failure.column };
      // Not the migration's fault: the shadow lacks what an unavailable extension would have built (reported on current_schema/).
      const extension = gaps.behind(failure);
      if (extension) {
        findings.push({
          ...where,
          rule: 'history-migration-failed',
          severity: severity === 'error' ? 'warning' : severity,
          message: `cannot be applied to the shadow, which lacks extension ${extension}: ${failure.message}`,
          hint: `set shadow.url (or shadow.urlEnv) in pgwarden.config.json to a PostgreSQL server that has ${extension} to prove this migration`,
        });
        continue;
      }
      findings.push({
        ...where,
        rule: 'history-migration-failed',
        severity,
        message: `fails on current_schema/ as it was at the base: ${failure.message}`,
        hint: failure.hint ?? 'the migration must apply to the schema it was written for; fix the statement or current_schema/',
      });
    }
    return shadow;
  } catch (error) {
    await shadow.close();
    throw error;
  }
}

function changeFinding(config: PgwardenConfig, rule: CheckRuleId, change: CatalogChange, where: Pick<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>, message: string, hint: string): Finding | undefined {
  const severity = severityOf(config, rule, CHECK_RULES[rule].defaultSeverity);
  return severity ? { ...where, rule, severity, message, hint } : undefined;
}

/** The migration statement a difference comes from, as `file:line`. */
function historySite(migrations: readonly Migration[], change: CatalogChange): string | undefined {
  const key = change.object.key;
  const site = historyStatementFor(migrationSources(migrations), key) ?? (key.includes('.') ? historyStatementFor(migrationSources(migrations), key.slice(0, key.lastIndexOf('.'))) : undefined);
  return site && `${site.path}:${site.line}`;
}

/** current_schema/*.sql as the shadow reads them: file-name order, workspace-relative paths. */
function readSchemaFiles(config: PgwardenConfig): { relPath: string; text: string }[] {
  return listSchemaFiles(config.root, config.schemaDir).map((path) => ({ relPath: toRelPath(config.root, path), text: readFileSync(path, 'utf8') }));
}

async function checkConsistency(config: PgwardenConfig, now: CatalogSnapshot, sourceMap: readonly SourceMapEntry[], nowFiles: { relPath: string; text: string }[], options: CheckOptions, history: Migration[], findings: Finding[]): Promise<{ report: ConsistencyReport; migrations: Migration[] }> {
  const base: BaseRevision | undefined = resolveBase(config.root, options.base);
  let baseFiles: { path: string; text: string }[];
  let migrations: Migration[];
  let description: string;
  if (base) {
    description = base.description;
    baseFiles = filesAtRevision(config.root, base.commit, config.schemaDir);
    const committed = new Set(filesAtRevision(config.root, base.commit, config.migrationsDir).map((file) => file.path));
    migrations = history.filter((migration) => !committed.has(migration.relPath));
  } else {
    // Without git: the executed migrations, replayed from the preset alone, must give current_schema/.
    description = 'executed migrations (no git base)';
    baseFiles = [];
    migrations = history.filter((migration) => executedBy(migration, config) !== undefined);
  }
  const unchanged =
    migrations.length === 0 && baseFiles.length === nowFiles.length && baseFiles.every((file, index) => file.path === nowFiles[index]!.relPath && file.text === nowFiles[index]!.text);
  const report: ConsistencyReport = { base: description, migrations: migrations.map((migration) => migration.relPath), changes: [], unchanged };
  if (unchanged || (!base && migrations.length === 0)) return { report, migrations };

  const expectedShadow = await historyShadow(config, baseFiles, migrations, findings);
  let expected: CatalogSnapshot;
  try {
    expected = await snapshotOf(expectedShadow.database, config);
  } finally {
    await expectedShadow.close();
  }
  report.changes = diffCatalogs(now, expected);
  const schemaDir = config.schemaDir.replace(/\/$/, '');
  for (const change of report.changes) {
    const defined = locate(sourceMap, change.object.key);
    const migration = historySite(migrations, change);
    const by = migration ? ` (${migration})` : '';
    const where = defined ? point(defined, defined.file) : point(undefined, nowFiles.at(-1)?.relPath ?? `${schemaDir}/`);
    const what =
      change.action === 'added'
        ? `current_schema/ lacks ${change.object.kind.replace(/_/g, ' ')} ${change.object.key} that the history creates${by}`
        : change.action === 'removed'
          ? `current_schema/ has ${change.object.kind.replace(/_/g, ' ')} ${change.object.key} that the history drops or never creates${by ? `${by}` : ''}`
          : `current_schema/ differs from the history: ${change.message}${by}`;
    const finding = changeFinding(config, 'schema-out-of-sync', change, where, what, '`pgwarden check --fix` writes the history into current_schema/ (or edit the file named here)');
    if (finding) findings.push(finding);
  }
  return { report, migrations };
}

function verifyFindings(config: PgwardenConfig, result: VerifyResult, sourceMap: readonly SourceMapEntry[], fallbackFile: string): Finding[] {
  const findings: Finding[] = [];
  for (const defect of result.defects) {
    const setting = config.rules[defect.rule];
    if (setting === 'off') continue;
    const entry = findSource(sourceMap, defect.function, 'function');
    const line = entry && defect.bodyLine !== undefined ? functionBodyFileLine(entry, defect.bodyLine) : undefined;
    const where = point(entry, fallbackFile, line);
    if (line !== undefined && defect.column !== undefined) where.column = where.endColumn = defect.column;
    findings.push({ ...where, rule: defect.rule, severity: setting ?? defect.severity, message: `${defect.function}: ${defect.message}`, ...(defect.hint ? { hint: defect.hint } : {}) });
  }
  return findings;
}

/** Runs every proof once. `check` with `fix` runs it, writes, and runs it again. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const first = await checkOnce(options);
  if (!options.fix || first.consistency.changes.length === 0) return first;
  const { config } = options;
  const history = await readHistory(config);
  const compared = new Set(first.consistency.migrations);
  // Read as the shadow reads them, without a byte order mark: the plan's offsets are the parser's.
  // Each file gets its own mark back, at the very start, when written.
  const schemaFiles = readSqlTexts(
    config.root,
    first.files.filter((file) => file.startsWith(config.schemaDir.replace(/\/$/, '') + '/')),
  ).map(({ relPath, text, byteOrderMark }) => ({ path: relPath, text, byteOrderMark }));
  await loadParser();
  const plan = planSchemaFix(schemaFiles, migrationSources(history.filter((migration) => compared.has(migration.relPath))), first.consistency.changes);
  const hadByteOrderMark = new Set(schemaFiles.filter((file) => file.byteOrderMark).map((file) => file.path));
  for (const [file, text] of plan.files) await writeFileAtomically(resolve(config.root, file), withByteOrderMark(text, hadByteOrderMark.has(file)));
  const second = await checkOnce({ ...options, fix: false });
  return { ...second, fixed: { written: plan.written, unwritable: plan.unwritable, files: [...plan.files.keys()] } };
}

/** The schema current_schema/ builds, proved: from the proof cache when nothing changed, else from a shadow. */
async function provedSchema(options: CheckOptions, schemaFiles: { relPath: string; text: string }[]): Promise<{ proof: ProvedSchema; cache: CheckReport['cache'] }> {
  const { config } = options;
  const shadowOptions = shadowOptionsFromConfig(config);
  const engine = options.engine ?? 'auto';
  const cacheDir = join(config.root, '.pgwarden', 'cache');
  const cacheable = !shadowOptions.url;
  const key = proofCacheKey(schemaFiles, shadowOptions.preset ?? 'supabase', engine);
  const cached = cacheable ? readProof(cacheDir, key) : undefined;
  if (cached) return { proof: cached, cache: 'hit' };
  const shadow = await buildShadow(shadowOptions);
  try {
    const snapshot = await snapshotOf(shadow.database, config);
    const verify = await verifyFunctions(shadow.database, { schemas: ownSchemas(snapshot), engine });
    const proof: ProvedSchema = { snapshot, shadowFindings: shadow.findings, sourceMap: shadow.sourceMap, stats: shadow.stats, verify };
    if (cacheable) writeProof(cacheDir, key, proof);
    return { proof, cache: shadow.cache };
  } finally {
    await shadow.close();
  }
}

async function checkOnce(options: CheckOptions): Promise<CheckReport> {
  const { config } = options;
  const findings: Finding[] = [];
  const schemaFiles = readSchemaFiles(config);
  const { proof, cache } = await provedSchema(options, schemaFiles);
  const { snapshot: now, sourceMap } = proof;
  for (const finding of proof.shadowFindings) {
    const severity = severityOf(config, finding.rule, finding.severity);
    if (severity) findings.push({ ...finding, severity });
  }
  const fallbackFile = schemaFiles.at(-1)?.relPath ?? config.schemaDir;
  const history = await readHistory(config);
  const { report: consistency, migrations } = await checkConsistency(config, now, sourceMap, schemaFiles, options, history, findings);

  for (const finding of await runCatalogLints(now, config)) {
    const entry = locate(sourceMap, finding.object.key);
    findings.push({ ...point(entry, fallbackFile), rule: finding.rule, severity: finding.severity, message: finding.message, ...(finding.hint ? { hint: finding.hint } : {}) });
  }
  findings.push(...verifyFindings(config, proof.verify, sourceMap, fallbackFile));

  let live: CheckReport['live'];
  if (options.live) {
    // The shadow may be another Postgres major (PGlite) than the live server: compare what both print alike.
    const liveSnapshot = await snapshotOf(options.live.database, config);
    const changes = diffCatalogs(comparableAcrossVersions(now), comparableAcrossVersions(liveSnapshot));
    live = { label: options.live.label, changes };
    for (const change of changes) {
      const entry = locate(sourceMap, change.object.key);
      const finding = changeFinding(config, 'live-drift', change, point(entry, fallbackFile), `${options.live.label} differs from current_schema/: ${change.message}`, 'a change made on the database outside a migration: write a migration for it, or undo it there');
      if (finding) findings.push(finding);
    }
  }

  const fromDisk = workspaceText(config.root);
  const readText = (file: string) => schemaFiles.find((schemaFile) => schemaFile.relPath === file)?.text ?? fromDisk(file);
  return {
    findings: sortFindings(await withoutSuppressed(findings, readText)),
    files: [...schemaFiles.map((file) => file.relPath), ...migrations.map((migration) => migration.relPath)],
    schemaFiles: proof.stats.files,
    statements: proof.stats.statements,
    cache,
    consistency,
    functions: { engine: proof.verify.engine, checked: proof.verify.checked, unchecked: proof.verify.unchecked.length },
    ...(live ? { live } : {}),
  };
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
}
