import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createNodesFromFiles,
  DependencyType,
  hashArray,
  type CreateDependencies,
  type CreateNodesResult,
  type CreateNodesV2,
  type ProjectConfiguration,
  type RawProjectGraphDependency,
  type TargetConfiguration,
} from '@nx/devkit';
import { PluginCache } from 'nx/src/devkit-internals';
import { workspaceDataDirectory } from 'nx/src/utils/cache-directory';
import { CONFIG_FILE_NAME, readProjectLayout, type ProjectLayout } from '../utils/project-layout.js';

type InputDefinition = Exclude<NonNullable<TargetConfiguration['inputs']>[number], string>;

export interface PgwardenPluginOptions {
  /** Name of the inferred project (default: `db` at the workspace root, else the folder's name). */
  projectName?: string;
  lintTargetName?: string;
  migrateTargetName?: string;
  statusTargetName?: string;
  checkTargetName?: string;
  typesTargetName?: string;
  planTargetName?: string;
  /** The plan target that fills the headers (`write`), never cached (default: `plan-write`). */
  planWriteTargetName?: string;
}

type TargetKey = 'lint' | 'migrate' | 'status' | 'check' | 'types' | 'plan' | 'planWrite';

interface TargetSpec {
  key: TargetKey;
  /** Target name unless the plugin options give one (default: the key). */
  name?: string;
  /** This package's executor (default: the key). */
  executor?: string;
  description: string;
  /** The target's options, and named sets of them (`nx run db:lint:shallow`); both are part of Nx's task hash. */
  options?: Record<string, unknown>;
  configurations?: Record<string, Record<string, unknown>>;
  /** Cacheable targets declare exact inputs; database targets never cache (the database is state). */
  cache: boolean;
  /** Extra inputs beyond the migration, schema and config files. */
  extraInputs?: (layout: ProjectLayout) => InputDefinition[];
  /** Sync generators Nx runs before the target (and `nx sync:check` verifies). */
  syncGenerators?: string[];
  /** Files the target writes (cached and restored by Nx). */
  outputs?: (layout: ProjectLayout) => string[];
  example: (layout: ProjectLayout) => Record<string, unknown>;
}

/**
 * The targets pgwarden can infer. One is inferred only when its executor ships in this package's
 * executors.json: adding a capability is its executor folder, its executors.json entry and (when
 * new) one entry here. One executor may back two targets that differ in caching (plan, plan-write).
 */
const TARGETS: readonly TargetSpec[] = [
  {
    key: 'lint',
    description: 'Check the migrations against the convention and prove the pending ones on a shadow of current_schema/ (lint --deep, as CI runs it). The shallow configuration skips the shadow, as the commit hook does.',
    cache: true,
    // Deep by default, as issue 13 asks of CI and this target; the deep proofs read only the declared inputs.
    options: { deep: true },
    configurations: { shallow: { deep: false } },
    example: () => ({ format: 'github' }),
  },
  { key: 'migrate', description: 'Apply pending approved migrations to an environment.', cache: false, example: () => ({ env: 'staging', dryRun: true }) },
  { key: 'status', description: 'Applied / pending / approved / tampered migrations of an environment, approvals verified as migrate verifies them.', cache: false, example: () => ({ env: 'staging' }) },
  {
    key: 'check',
    description: 'Prove current_schema/ builds, matches current_schema/ at the base revision plus the migrations since, passes the catalog lints, and its functions verify.',
    cache: true,
    // The history comparison reads current_schema/ at the merge-base with the default branch: the commit is part of the result.
    extraInputs: () => [{ runtime: 'git rev-parse HEAD' }],
    example: () => ({ format: 'github' }),
  },
  {
    key: 'types',
    description: 'Regenerate the downstream types, zod validators and bridge JSON Schemas from the shadow of current_schema/.',
    cache: true,
    outputs: (layout) => layout.typesOutputs.map((path) => `{workspaceRoot}/${path}`),
    syncGenerators: ['@pgwarden/nx:types-sync'],
    extraInputs: (layout) => (layout.typesOverlays ? [{ fileset: `{workspaceRoot}/${layout.typesOverlays}/**/*.json` }] : []),
    example: () => ({ check: true }),
  },
  {
    key: 'plan',
    description: 'Impact analysis of the pending migrations (or the named files), proved on a shadow of current_schema/: locks, rewrites and scans, dependent objects, idempotency and rollback, destructive statements, current_schema/ edits. Cached: a report of the declared inputs.',
    cache: true,
    example: (layout) => ({ files: [`${layout.migrationsDir}/2025-10-01_01_add_notes.sql`], format: 'json' }),
  },
  {
    key: 'planWrite',
    name: 'plan-write',
    executor: 'plan',
    description: "plan, then fill each header's AFFECTED TABLES and SOURCE OF TRUTH SCHEMA UPDATED entries. Never cached: a replay from the cache would not write the headers.",
    cache: false,
    options: { write: true },
    example: (layout) => ({ files: [`${layout.migrationsDir}/2025-10-01_01_add_notes.sql`] }),
  },
];

const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGE_NAME = '@pgwarden/nx';

function shippedExecutors(): Set<string> {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'executors.json'), 'utf8')) as { executors: Record<string, unknown> };
  return new Set(Object.keys(manifest.executors));
}

interface CachedProject {
  project: Omit<ProjectConfiguration, 'root'>;
}

export const createNodesV2: CreateNodesV2<PgwardenPluginOptions> = [
  `**/${CONFIG_FILE_NAME}`,
  async (configFiles, options, context) => {
    const executors = shippedExecutors();
    const engine = engineInput(context.workspaceRoot);
    // The target specs are part of the key: a project cached by another build of this plugin is not reused.
    const optionsHash = hashArray([JSON.stringify(options ?? {}), [...executors].join(','), JSON.stringify(engine), JSON.stringify(TARGETS)]);
    const cachePath = join(workspaceDataDirectory, `pgwarden-${optionsHash}.hash`);
    const cache = new PluginCache<CachedProject>(cachePath);
    try {
      return await createNodesFromFiles(
        (configFile, pluginOptions, nodeContext) => {
          const configText = readFileSync(join(nodeContext.workspaceRoot, configFile), 'utf8');
          const root = posix.normalize(dirname(configFile));
          // A sub-folder that is already a project (package.json or project.json) keeps its own name;
          // the workspace root's package.json names the workspace, not a project.
          const named = root !== '.' && ['package.json', 'project.json'].some((file) => existsSync(join(nodeContext.workspaceRoot, root, file)));
          const hash = hashArray([configFile, configText, String(named)]);
          let cached = cache.get(hash);
          if (!cached) {
            cached = { project: buildProject(readProjectLayout(nodeContext.workspaceRoot, configFile), pluginOptions ?? {}, executors, engine, named) };
            cache.set(hash, cached);
          }
          const result: CreateNodesResult = { projects: { [root]: { root, ...cached.project } } };
          return result;
        },
        configFiles,
        options,
        context,
      );
    } finally {
      cache.writeToDisk(cachePath);
    }
  },
];

/** Nx 22 reads `createNodes` with the V2 signature; both names point at the same function. */
export const createNodes = createNodesV2;

function buildProject(
  layout: ProjectLayout,
  options: PgwardenPluginOptions,
  executors: Set<string>,
  engine: InputDefinition[],
  named: boolean,
): Omit<ProjectConfiguration, 'root'> {
  const inputs: (string | InputDefinition)[] = [
    `{workspaceRoot}/${layout.configFile}`,
    `{workspaceRoot}/${layout.migrationsDir}/**/*.sql`,
    `{workspaceRoot}/${layout.schemaDir}/**/*.sql`,
    // A shadow built on a server (shadow.urlEnv) verifies what that server offers (plpgsql_check); Nx keeps a hash of the value, not the URL.
    ...(layout.shadowUrlEnv ? [{ env: layout.shadowUrlEnv }] : []),
    ...engine,
  ];
  const targets: Record<string, TargetConfiguration> = {};
  for (const spec of TARGETS) {
    const executor = spec.executor ?? spec.key;
    if (!executors.has(executor)) continue;
    const name = options[`${spec.key}TargetName`] ?? spec.name ?? spec.key;
    const target: TargetConfiguration = {
      executor: `${PACKAGE_NAME}:${executor}`,
      options: { ...spec.options },
      cache: spec.cache,
      metadata: {
        technologies: ['pgwarden', 'postgres'],
        description: spec.description,
        help: { command: `npx pgwarden ${executor} --help`, example: { options: spec.example(layout) } },
      },
    };
    if (spec.configurations) target.configurations = spec.configurations;
    if (spec.syncGenerators) target.syncGenerators = spec.syncGenerators;
    if (spec.cache) {
      target.inputs = [...inputs, ...(spec.extraInputs?.(layout) ?? [])];
      target.outputs = spec.outputs?.(layout) ?? [];
    }
    targets[name] = target;
  }
  const project: Omit<ProjectConfiguration, 'root'> = { projectType: 'library', targets, metadata: { technologies: ['pgwarden'] } };
  if (options.projectName || !named) project.name = options.projectName ?? (layout.root === '.' ? 'db' : posix.basename(layout.root));
  return project;
}

/**
 * The engine version is part of every cached result. Installed from the registry it is an external
 * dependency; in a workspace that builds pgwarden itself (linked, no lockfile entry) its sources are.
 */
function engineInput(workspaceRoot: string): InputDefinition[] {
  let corePackage: string;
  try {
    corePackage = realpathSync(createRequire(join(workspaceRoot, 'package.json')).resolve('@pgwarden/core/package.json'));
  } catch {
    return [];
  }
  const inWorkspace = relative(workspaceRoot, corePackage);
  if (inWorkspace.startsWith('..') || inWorkspace.split(sep).includes('node_modules')) return [{ externalDependencies: ['@pgwarden/core'] }];
  const coreRoot = posix.dirname(inWorkspace.split(sep).join('/'));
  // Sources, not dist: Nx does not hash git-ignored files.
  return [
    { fileset: `{workspaceRoot}/${coreRoot}/src/**/*.ts` },
    { fileset: `!{workspaceRoot}/${coreRoot}/src/**/*.test.ts` },
    { fileset: `{workspaceRoot}/${coreRoot}/package.json` },
  ];
}

/**
 * The generated types package (the project owning a types output path) depends on the database
 * project, so a change under the migrations or schema marks it, and through Nx's own package and
 * import analysis its dependants, affected.
 */
export const createDependencies: CreateDependencies<PgwardenPluginOptions> = (_options, context) => {
  const dependencies: RawProjectGraphDependency[] = [];
  const projects = Object.entries(context.projects);
  for (const [dbName, dbProject] of projects) {
    const configFile = posix.join(dbProject.root, CONFIG_FILE_NAME);
    if (!existsSync(join(context.workspaceRoot, configFile))) continue;
    const layout = readProjectLayout(context.workspaceRoot, configFile);
    for (const output of layout.typesOutputs) {
      const owner = owningProject(projects, output);
      if (owner && owner !== dbName && context.projects[owner].root !== '.') {
        dependencies.push({ source: owner, target: dbName, type: DependencyType.implicit });
      }
    }
  }
  return dependencies;
};

/** The project with the deepest root containing `path`. */
function owningProject(projects: [string, ProjectConfiguration][], path: string): string | undefined {
  let best: { name: string; depth: number } | undefined;
  for (const [name, project] of projects) {
    const root = project.root === '.' ? '' : project.root;
    if (root !== '' && path !== root && !path.startsWith(`${root}/`)) continue;
    const depth = root === '' ? 0 : root.split('/').length;
    if (!best || depth > best.depth) best = { name, depth };
  }
  return best?.name;
}
