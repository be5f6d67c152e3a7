/**
 * buildShadow: a throwaway database built from the schema folder's *.sql in file order.
 * The builder owns the transactions: files' own BEGIN/COMMIT are skipped, every statement runs
 * in its own savepoint and the build goes on. It is tolerant: a CREATE TABLE whose REFERENCES
 * target is not there yet is created without those constraints (added once their targets
 * exist), and failed statements are retried until a pass makes no progress, so later tools
 * see the schema the files mean. Every failure and workaround is still reported, once per
 * root cause.
 */
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { ConfigError } from '../config/load.js';
import type { PgwardenConfig } from '../config/types.js';
import { databaseUrlProblem } from '../db/connection-settings.js';
import type { DbSession } from '../db/types.js';
import type { SqlErrorFields } from '../runner/errors.js';
import { quoteIdent } from '../sql/quote.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import type { Database } from '../db/types.js';
import { baseCacheKey, readBaseDump, readCachedBuild, shadowCacheKey, writeBaseDump, writeCachedBuild, writeCachedSnapshot, type CachedBuild } from './cache.js';
import { workspaceSnapshot } from './snapshot.js';
import { DefinitionIndex, inlineForeignKeys, tableKeyOf, type DefinedObject, type LookupClass } from './definitions.js';
import { runInSavepoint, type ExecutionCounter } from './execute.js';
import { deferForeignKeys, type DeferredForeignKey } from './foreign-keys.js';
import { presetSql } from './presets.js';
import { missingObjectOf, newFinding, RootCauses } from './root-cause.js';
import { listSchemaFiles, orderStatements, parseSources, readSqlTexts, type OrderedStatement, type ShadowSourceFile } from './schema-files.js';
import { SourceMapBuilder } from './source-map.js';
import { createPgliteTarget, createServerTarget, type ShadowTarget } from './target.js';
import { extensionProviding, extensionsCreatedIn } from './extensions.js';
import type { ShadowDatabase, ShadowFinding, ShadowPreset } from './types.js';

export interface BuildShadowOptions {
  /** Workspace root: file paths in findings and the source map are relative to it. */
  root: string;
  /** Schema folder relative to root (default `current_schema`); its *.sql run in file-name order. */
  schemaDir?: string;
  /** Explicit files (relative to root) instead of the folder, in this order. */
  files?: readonly string[];
  /** In-memory files instead (e.g. `current_schema/` at a git revision), in this order; `relPath` is what findings name. */
  sources?: readonly { relPath: string; text: string }[];
  /** Applied before the files (default `supabase`). */
  preset?: ShadowPreset;
  /** A real server: the shadow is a temporary database created there and dropped on close. Default: PGlite in memory. */
  url?: string;
  /** PGlite only: reuse and store builds under cacheDir (default true). */
  cache?: boolean;
  /** Default `<root>/.pgwarden/cache`. */
  cacheDir?: string;
  /**
   * PGlite only: extensions to make available besides those the schema files create (e.g. the ones
   * pending migrations create, for applyToShadow). Only these are registered: each costs start-up time.
   */
  extensions?: readonly string[];
}

/** Build options from the configuration: `shadow.url`, else the variable `shadow.urlEnv` names, else PGlite. */
export function shadowOptionsFromConfig(config: PgwardenConfig, env: NodeJS.ProcessEnv = process.env): BuildShadowOptions {
  const shadow = config.shadow;
  const url = shadow.url ?? (shadow.urlEnv ? env[shadow.urlEnv] || undefined : undefined);
  const problem = url === undefined ? undefined : databaseUrlProblem(url);
  if (problem) {
    // Named by where it came from, never echoed: it may hold a password.
    if (shadow.url !== undefined) throw new ConfigError(`shadow.url ${problem}`, config.configPath, 'shadow.url');
    throw new ConfigError(`the shadow database URL in ${shadow.urlEnv} (shadow.urlEnv) ${problem}`);
  }
  return { root: config.root, schemaDir: config.schemaDir, preset: shadow.preset ?? config.preset, ...(url ? { url } : {}) };
}

/** Builds (or loads from the cache) the shadow of the schema folder. Close the result when done. */
export async function buildShadow(options: BuildShadowOptions): Promise<ShadowDatabase> {
  const root = resolve(options.root);
  const texts = options.sources
    ? options.sources.map(({ relPath, text }) => ({ relPath, text }))
    : readSqlTexts(root, options.files ?? listSchemaFiles(root, options.schemaDir ?? 'current_schema'));
  const preset = options.preset ?? 'supabase';

  if (options.url) {
    const target = await createServerTarget(options.url);
    return finishBuild(target, await parseSources(texts), preset, preset === 'none' ? undefined : preset, 'off');
  }
  const useCache = options.cache ?? true;
  const cacheDir = options.cacheDir ?? join(root, '.pgwarden', 'cache');
  const requested = [...new Set(options.extensions ?? [])].sort();
  const key = shadowCacheKey(texts, preset, requested);
  if (useCache) {
    const cached = readCachedBuild(cacheDir, key);
    if (cached) {
      const target = await createPgliteTarget(cached.dump, cached.build.extensions);
      const { snapshot, ...build } = cached.build;
      const builtSnapshot = snapshotOnce(target.database, preset, snapshot, (taken) => writeCachedSnapshot(cacheDir, key, build, taken));
      return { ...build, database: target.database, kind: 'pglite', cache: 'hit', cacheKey: key, builtSnapshot, close: () => target.dispose() };
    }
  }
  const files = await parseSources(texts);
  const extensions = [...new Set([...extensionsCreatedIn(files), ...requested])].sort();
  const target = await freshPgliteTarget(preset, useCache ? cacheDir : undefined, extensions);
  let stored: CachedBuild | undefined;
  return finishBuild(target, files, preset, undefined, useCache ? 'miss' : 'off', async (build) => {
    if (!useCache) return;
    stored = { ...build, extensions };
    await writeCachedBuild(cacheDir, key, await dumpForLoading(target.pglite!), stored);
  }, key, (taken) => {
    if (stored) writeCachedSnapshot(cacheDir, key, stored, taken);
  });
}

/** What a build learns besides the database: stored in the cache entry. */
type BuildResult = Pick<CachedBuild, 'findings' | 'sourceMap' | 'stats'>;

const baseDumps = new Map<string, Blob>();

/**
 * An empty PGlite with the preset applied. A fresh instance (initdb) costs seconds and loading a
 * dump of one a fraction, so the first one is dumped and kept for the process and, with a cache
 * folder, on disk (keyed by the versions and the preset's text).
 */
async function freshPgliteTarget(preset: ShadowPreset, cacheDir: string | undefined, extensions: readonly string[]): Promise<ShadowTarget> {
  const key = baseCacheKey(preset);
  const stored = baseDumps.get(key) ?? (cacheDir ? readBaseDump(cacheDir, key) : undefined);
  if (stored) {
    baseDumps.set(key, stored);
    return createPgliteTarget(stored, extensions);
  }
  const target = await createPgliteTarget(undefined, extensions);
  try {
    if (preset !== 'none') await (await target.database.session()).exec(presetSql(preset));
    const dump = await dumpForLoading(target.pglite!);
    baseDumps.set(key, dump);
    if (cacheDir) await writeBaseDump(cacheDir, key, dump);
    return target;
  } catch (error) {
    await target.dispose();
    throw error;
  }
}

/**
 * The data directory as a tar that loads fast: PGlite writes every file of it into its in-memory
 * file system and then starts Postgres, so the template databases (half the files; a shadow never
 * creates a database: CREATE DATABASE cannot run in the transaction a migration is applied in) are
 * dropped and a checkpoint is taken (else every start replays the WAL since the last one).
 * Uncompressed: gunzip cost more than reading the larger file (docs/benchmarks.md).
 */
async function dumpForLoading(pglite: PGlite): Promise<Blob> {
  const { rows } = await pglite.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname IN ('template0', 'template1') ORDER BY datname");
  for (const { datname } of rows) {
    await pglite.exec(`ALTER DATABASE ${datname} IS_TEMPLATE false`);
    await pglite.exec(`DROP DATABASE ${datname}`);
  }
  await pglite.exec('CHECKPOINT');
  return pglite.dumpDataDir('none');
}

/** ShadowDatabase.builtSnapshot: the known snapshot, else one introspection, handed to `store` once. */
function snapshotOnce(database: Database, preset: ShadowPreset, known: CatalogSnapshot | undefined, store?: (snapshot: CatalogSnapshot) => void): () => Promise<CatalogSnapshot> {
  let snapshot: Promise<CatalogSnapshot> | undefined = known ? Promise.resolve(known) : undefined;
  return () =>
    (snapshot ??= workspaceSnapshot(database, preset).then((taken) => {
      store?.(taken);
      return taken;
    }));
}

async function finishBuild(
  target: ShadowTarget,
  files: ShadowSourceFile[],
  /** The shadow's preset (what its snapshots leave out). */
  preset: ShadowPreset,
  /** The preset to apply first (absent when the target already has it, or for `none`). */
  applyPreset: ShadowPreset | undefined,
  cache: ShadowDatabase['cache'],
  store?: (build: BuildResult) => Promise<void>,
  cacheKey?: string,
  storeSnapshot?: (snapshot: CatalogSnapshot) => void,
): Promise<ShadowDatabase> {
  try {
    const session = await target.database.session();
    let build: BuildResult;
    try {
      build = await new ShadowBuilder(session, files, target.kind).run(applyPreset);
    } finally {
      await session.close();
    }
    await store?.(build);
    const builtSnapshot = snapshotOnce(target.database, preset, undefined, storeSnapshot);
    return { ...build, database: target.database, kind: target.kind, cache, ...(cacheKey ? { cacheKey } : {}), builtSnapshot, close: () => target.dispose() };
  } catch (error) {
    await target.dispose().catch(() => {});
    throw error;
  }
}

interface PendingForeignKey extends DeferredForeignKey {
  owner: OrderedStatement;
  lastError?: SqlErrorFields;
}

class ShadowBuilder {
  private readonly statements: OrderedStatement[];
  private readonly index: DefinitionIndex;
  private readonly causes: RootCauses;
  private readonly counter: ExecutionCounter = { executions: 0 };
  private readonly succeeded = new Set<number>();
  private readonly failedAsWritten = new Set<number>();
  private deferred: PendingForeignKey[] = [];
  /** Failed statements waiting for a missing object, by `lookup:name`. */
  private readonly waiting = new Map<string, OrderedStatement[]>();
  /** Waiters whose object was just defined. */
  private readonly ready: OrderedStatement[] = [];
  /** Failed for another reason: retried in the next pass. */
  private pending: OrderedStatement[] = [];
  private readonly sourceMap = new SourceMapBuilder();

  constructor(
    private readonly session: DbSession,
    private readonly files: ShadowSourceFile[],
    kind: 'pglite' | 'pg',
  ) {
    this.statements = orderStatements(files);
    this.index = new DefinitionIndex(this.statements);
    this.causes = new RootCauses(this.index, this.statements, kind);
  }

  async run(preset: ShadowPreset | undefined): Promise<BuildResult> {
    const { session } = this;
    if (preset === 'supabase') await session.exec(presetSql('supabase'));
    await session.exec('SET check_function_bodies = on');
    // The files' own transaction control is skipped: the builder owns the transactions.
    const runnable = this.statements.filter((at) => at.statement.kind !== 'TransactionStmt');

    await session.exec('BEGIN');
    for (const file of this.files) {
      const statements = runnable.filter((at) => at.file === file);
      // Most files build as written: one round trip for the whole file, statement by statement only if it fails.
      if (statements.length > 1 && (await this.runAtOnce(statements))) continue;
      for (const at of statements) {
        const outcome = await runInSavepoint(session, at.statement.text, this.counter);
        if (outcome.ok) await this.succeed(at);
        else {
          this.causes.classify(at, outcome.error, outcome.at);
          this.failedAsWritten.add(at.index);
          await this.failed(at, outcome.error);
        }
        await this.retryReady();
      }
    }

    // What still waits: its missing object came from somewhere the index cannot see (dynamic SQL), or never.
    let pending = [...this.pending, ...[...this.waiting.values()].flat()].sort((a, b) => a.index - b.index);
    this.pending = [];
    this.waiting.clear();
    let retryPasses = 0;
    while (pending.length > 0) {
      retryPasses++;
      for (const at of pending) {
        if (this.succeeded.has(at.index)) continue;
        const outcome = await runInSavepoint(session, at.statement.text, this.counter);
        if (outcome.ok) await this.succeed(at);
        else await this.failed(at, outcome.error);
        await this.retryReady();
      }
      const still = [...new Set([...this.pending, ...[...this.waiting.values()].flat()])].filter((at) => !this.succeeded.has(at.index)).sort((a, b) => a.index - b.index);
      this.pending = [];
      this.waiting.clear();
      const progress = still.length < pending.length;
      pending = still;
      if (!progress) break;
    }
    await this.addDeferredForeignKeys();
    await session.exec('COMMIT');

    this.reportSilentRedefinitions();
    const unresolvedOwners = new Set(this.deferred.map((fk) => fk.owner.index));
    for (const fk of this.deferred) {
      // Its table is counted under a root cause already (its target failed because of a missing
      // extension, say): the constraint it could not add is that cause's too, not an error of its own.
      if (this.causes.rootOf.has(fk.owner.index)) continue;
      const finding = newFinding(
        'shadow-statement-failed',
        { file: fk.owner.file.relPath, line: fk.owner.statement.range.start.line, column: fk.owner.statement.range.start.column },
        `foreign key to ${tableKeyOf({ schema: fk.ref.targetSchema, name: fk.ref.target })} could not be added: ${fk.lastError?.message ?? 'its table was never created'}`,
        fk.lastError?.hint,
      );
      this.causes.findings.set(`deferred:${fk.owner.index}:${fk.sql}`, finding);
    }
    const failed = new Set([...pending.map((at) => at.index), ...unresolvedOwners]);
    const sourceMap = await this.sourceMap.finish(session);
    return {
      findings: this.finalFindings(failed),
      sourceMap,
      stats: {
        files: this.files.length,
        statements: runnable.length,
        failedStatements: failed.size,
        recoveredStatements: [...this.failedAsWritten].filter((index) => !failed.has(index)).length,
        executions: this.counter.executions,
        retryPasses,
      },
    };
  }

  /** Runs a file's statements in one savepoint; true when all succeeded (else nothing of them is left). */
  private async runAtOnce(statements: readonly OrderedStatement[]): Promise<boolean> {
    const outcome = await runInSavepoint(this.session, statements.map((at) => at.statement.text).join(';\n'), this.counter);
    if (!outcome.ok) return false;
    for (const at of statements) await this.succeed(at);
    await this.retryReady();
    return true;
  }

  /** A failed statement waits for the object it missed (retried as soon as a statement defines it), else for the next pass. */
  private async failed(at: OrderedStatement, error: SqlErrorFields): Promise<void> {
    if (await this.withoutMissingReferences(at, error)) return;
    const missing = missingObjectOf(error);
    if (!missing) {
      this.pending.push(at);
      return;
    }
    const key = `${missing.lookup}:${missing.name}`;
    this.waiting.set(key, [...(this.waiting.get(key) ?? []), at]);
  }

  /** Retries the statements whose missing object a statement just defined, until none is ready. */
  private async retryReady(): Promise<void> {
    while (this.ready.length > 0) {
      const at = this.ready.shift()!;
      if (this.succeeded.has(at.index)) continue;
      const outcome = await runInSavepoint(this.session, at.statement.text, this.counter);
      if (outcome.ok) await this.succeed(at);
      else await this.failed(at, outcome.error);
    }
  }

  private async succeed(at: OrderedStatement): Promise<void> {
    this.succeeded.add(at.index);
    const objects = this.index.ofStatement.get(at.index) ?? [];
    for (const object of objects) {
      if (!object.lookup) continue;
      const keys = [`${object.lookup}:${object.name}`];
      if (object.lookup === 'relation') keys.push(`type:${object.name}`);
      // An extension brings functions and types under names of their own (uuid_generate_v4(), citext).
      if (object.kind === 'extension') keys.push(...[...this.waiting.keys()].filter((key) => providedBy(key, object.name)));
      for (const key of keys) {
        const waiters = this.waiting.get(key);
        if (!waiters) continue;
        this.waiting.delete(key);
        this.ready.push(...waiters);
      }
    }
    await this.sourceMap.record(at, objects, this.session);
    if (at.statement.kind === 'AlterEnumStmt') {
      // A label added by ALTER TYPE ... ADD VALUE is usable only once committed.
      await this.session.exec('COMMIT; BEGIN');
    }
    const created = new Set(objects.filter((object: DefinedObject) => object.lookup === 'relation').map((object) => object.name));
    if (created.size > 0 && this.deferred.length > 0) await this.addDeferredForeignKeys(created);
  }

  /**
   * A CREATE TABLE that failed because a REFERENCES target does not exist yet: create it without
   * those constraints and keep them for later. True when the table was created.
   */
  private async withoutMissingReferences(at: OrderedStatement, error: SqlErrorFields): Promise<boolean> {
    if (at.statement.kind !== 'CreateStmt' || error.code !== '42P01') return false;
    const refs = inlineForeignKeys(at.statement);
    if (refs.length === 0) return false;
    const names = refs.map((ref) => [ref.targetSchema, ref.target].filter(Boolean).map((name) => quoteIdent(name!)).join('.'));
    const { rows } = await this.session.query<{ missing: boolean }>('SELECT to_regclass(name) IS NULL AS missing FROM unnest($1::text[]) AS u(name)', [names]);
    const missing = refs.filter((_, position) => rows[position]?.missing);
    if (missing.length === 0) return false;
    const { sql, deferred } = deferForeignKeys(at.statement, missing);
    const outcome = await runInSavepoint(this.session, sql, this.counter);
    if (!outcome.ok) return false;
    this.deferred.push(...deferred.map((fk) => ({ ...fk, owner: at })));
    await this.succeed(at);
    return true;
  }

  /** Adds the deferred foreign keys whose target was just created (all of them when `created` is absent). */
  private async addDeferredForeignKeys(created?: Set<string>): Promise<void> {
    const remaining: PendingForeignKey[] = [];
    for (const fk of this.deferred) {
      if (created && !created.has(fk.ref.target)) {
        remaining.push(fk);
        continue;
      }
      const outcome = await runInSavepoint(this.session, fk.sql, this.counter);
      if (!outcome.ok) remaining.push({ ...fk, lastError: outcome.error });
    }
    this.deferred = remaining;
  }

  /** CREATE TABLE IF NOT EXISTS of a table an earlier statement created: Postgres skips it without a word. */
  private reportSilentRedefinitions(): void {
    const firstByTable = new Map<string, { at: OrderedStatement; object: DefinedObject }>();
    for (const at of this.statements) {
      for (const object of this.index.ofStatement.get(at.index) ?? []) {
        if (object.kind !== 'table' || object.statement !== at.statement) continue;
        const key = tableKeyOf(object);
        const first = firstByTable.get(key);
        if (!first) firstByTable.set(key, { at, object });
        else if (object.ifNotExists && this.succeeded.has(at.index)) this.causes.silentRedefinition(at, first);
      }
    }
  }

  private finalFindings(failed: Set<number>): ShadowFinding[] {
    const findings: ShadowFinding[] = [];
    const members = new Map<string, number[]>();
    for (const [index, key] of this.causes.rootOf) members.set(key, [...(members.get(key) ?? []), index]);
    for (const [key, finding] of this.causes.findings) {
      const indexes = members.get(key) ?? [];
      finding.workedAround = indexes.length > 0 && indexes.every((index) => !failed.has(index));
      const count = finding.statements.length;
      if (finding.rule === 'shadow-missing-extension') {
        const shown = finding.statements.slice(0, 5).map((s) => `${s.file}:${s.line}`).join(', ');
        finding.message += count === 0 ? '' : `; ${count} statement${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} it: ${shown}${count > 5 ? ', ...' : ''}`;
      } else if (count > 0) {
        finding.message += ` (${count} more statement${count === 1 ? '' : 's'} failed because of it, counted here)`;
      }
      findings.push(finding);
    }
    for (const file of this.files) {
      for (const meta of file.parsed.metaCommands) {
        findings.push(
          newFinding(
            'shadow-meta-command',
            { file: file.relPath, line: meta.range.start.line, column: meta.range.start.column, endLine: meta.range.end.line, endColumn: meta.range.end.column },
            `psql meta-command ${meta.command.split(/\s/)[0]} skipped: the shadow runs SQL only`,
            'remove it from the schema file (psql-only commands do not belong in the source of truth)',
          ),
        );
      }
      for (const error of file.parsed.errors) {
        const finding = newFinding(
          'shadow-syntax-error',
          { file: file.relPath, line: error.range.start.line, column: error.range.start.column, endLine: error.range.end.line, endColumn: error.range.end.column },
          `${error.message} (statement not run)`,
          error.hint,
        );
        findings.push(finding);
      }
    }
    const fileOrder = new Map(this.files.map((file, position) => [file.relPath, position]));
    return findings.sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.line - b.line || a.column - b.column);
  }
}

/** Whether a waiting key (`lookup:name`, as `failed` files it) names something the extension brings. */
function providedBy(waitingKey: string, extension: string): boolean {
  const separator = waitingKey.indexOf(':');
  return extensionProviding(waitingKey.slice(0, separator) as LookupClass, waitingKey.slice(separator + 1), undefined, [extension]) !== undefined;
}
