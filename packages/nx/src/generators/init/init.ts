import { posix } from 'node:path';
import {
  addDependenciesToPackageJson,
  formatFiles,
  logger,
  readJson,
  readNxJson,
  updateJson,
  updateNxJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { CONFIG_FILE_NAME } from '../../utils/project-layout.js';
import { pluginVersion } from '../../utils/executor-support.js';
import type { InitGeneratorSchema } from './schema.js';

const PLUGIN = '@pgwarden/nx';
/** Versions that run on Node 20 (lint-staged 17 needs Node 22). */
const HOOK_TOOLS = { husky: '9.1.7', 'lint-staged': '16.4.0' };
/** --diff-filter D: deleting an executed migration is checked too (executed-immutable). */
const LINT_STAGED_ARGS = '--diff-filter=ACMRD';
const LINT_STAGED_JSON_FILES = ['.lintstagedrc', '.lintstagedrc.json'];
const LINT_STAGED_OTHER_FILES = [
  '.lintstagedrc.yaml',
  '.lintstagedrc.yml',
  '.lintstagedrc.mjs',
  '.lintstagedrc.js',
  '.lintstagedrc.cjs',
  'lint-staged.config.mjs',
  'lint-staged.config.js',
  'lint-staged.config.cjs',
];

export async function initGenerator(tree: Tree, options: InitGeneratorSchema): Promise<GeneratorCallback> {
  const directory = normaliseDirectory(options.directory);
  const configFile = posix.join(directory, CONFIG_FILE_NAME);
  registerPlugin(tree, configFile, options.projectName);
  const { migrationsDir, schemaDir } = writeConfig(tree, directory, options.postgresVersion ?? 15);
  for (const folder of [migrationsDir, schemaDir]) {
    const path = posix.join(directory, folder);
    if (!tree.children(path).length && !tree.exists(posix.join(path, '.gitkeep'))) tree.write(posix.join(path, '.gitkeep'), '');
  }
  addGitignoreEntry(tree, '.pgwarden/');
  if (!options.skipHook) {
    addPreCommitHook(tree, hookCommand(declaredVersion(tree, 'husky')));
    addLintStagedEntry(tree, posix.join(directory, migrationsDir), configFile);
  }
  // The types sync generator is registered here (nx.json "sync.globalGenerators") once `types` lands.
  const install = options.skipPackageJson ? undefined : addDependencies(tree, Boolean(options.skipHook));
  await formatFiles(tree);
  return () => install?.();
}

export default initGenerator;

function normaliseDirectory(directory: string | undefined): string {
  const normalised = posix.normalize((directory ?? '.').split('\\').join('/')).replace(/\/+$/, '') || '.';
  if (normalised.startsWith('..') || posix.isAbsolute(normalised)) throw new Error(`directory "${directory}" must be a folder inside the workspace`);
  return normalised;
}

/** One plugin entry covers every config unless it has an `include`; a named project gets its own entry. */
function registerPlugin(tree: Tree, configFile: string, projectName: string | undefined): void {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const covers = plugins.some((entry) => {
    if (typeof entry === 'string') return entry === PLUGIN && !projectName;
    if (entry.plugin !== PLUGIN) return false;
    if (entry.include) return entry.include.includes(configFile);
    return !projectName || (entry.options as { projectName?: string } | undefined)?.projectName === projectName;
  });
  if (covers) return;
  plugins.push(projectName ? { plugin: PLUGIN, include: [configFile], options: { projectName } } : PLUGIN);
  nxJson.plugins = plugins;
  updateNxJson(tree, nxJson);
}

/** A new config (with $schema for editor completion); an existing one is only read for its folder names. */
function writeConfig(tree: Tree, directory: string, postgresVersion: number): { migrationsDir: string; schemaDir: string } {
  const configFile = posix.join(directory, CONFIG_FILE_NAME);
  if (tree.exists(configFile)) {
    const existing = readJson<{ migrationsDir?: string; schemaDir?: string }>(tree, configFile);
    return { migrationsDir: existing.migrationsDir ?? 'migration_history', schemaDir: existing.schemaDir ?? 'current_schema' };
  }
  const toRoot = directory === '.' ? '.' : posix.relative(directory, '.');
  tree.write(
    configFile,
    `${JSON.stringify(
      {
        $schema: `${toRoot}/node_modules/@pgwarden/core/pgwarden.schema.json`,
        migrationsDir: 'migration_history',
        schemaDir: 'current_schema',
        postgresVersion,
        defaultEnv: 'local',
        environments: { local: {} },
      },
      null,
      2,
    )}\n`,
  );
  return { migrationsDir: 'migration_history', schemaDir: 'current_schema' };
}

function addGitignoreEntry(tree: Tree, entry: string): void {
  const text = tree.exists('.gitignore') ? (tree.read('.gitignore', 'utf-8') ?? '') : '';
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  if (lines.includes(entry) || lines.includes(entry.replace(/\/$/, ''))) return;
  tree.write('.gitignore', `${text}${text && !text.endsWith('\n') ? '\n' : ''}${entry}\n`);
}

/** The version range package.json declares for `name`, if any. */
function declaredVersion(tree: Tree, name: string): string | undefined {
  if (!tree.exists('package.json')) return undefined;
  const json = readJson<{ dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>(tree, 'package.json');
  return json.devDependencies?.[name] ?? json.dependencies?.[name];
}

/**
 * husky 9.1 and later (init installs 9.1.7 when there is none) run hooks with node_modules/.bin on
 * PATH, so the hook calls lint-staged directly: npx costs about a second of CPU on every commit.
 * Older husky, or a range whose lowest version cannot be read, keeps npx, which finds it either way.
 */
export function hookCommand(huskyRange: string | undefined): string {
  const lowest = /^[\s^~>=v]*(\d+)(?:\.(\d+))?/.exec(huskyRange ?? HOOK_TOOLS.husky);
  const [major, minor] = [Number(lowest?.[1]), Number(lowest?.[2] ?? 0)];
  const direct = major > 9 || (major === 9 && minor >= 1);
  return `${direct ? 'lint-staged' : 'npx --no-install lint-staged'} ${LINT_STAGED_ARGS}`;
}

/** Appends lint-staged to an existing pre-commit hook that does not run it yet; never rewrites the rest. */
function addPreCommitHook(tree: Tree, command: string): void {
  const hook = '.husky/pre-commit';
  const text = tree.exists(hook) ? (tree.read(hook, 'utf-8') ?? '') : '';
  if (/\blint-staged\b/.test(text)) return;
  const comment = '# pgwarden: staged migrations are linted by lint-staged (the hook never boots Nx)';
  tree.write(hook, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${comment}\n${command}\n`, { mode: 0o755 });
}

/**
 * The staged migrations of this project go to `pgwarden lint` with this project's config, so a
 * sub-folder project is checked exactly like a root one (lint-staged runs from the repository root).
 * JSON configs (package.json "lint-staged", .lintstagedrc, .lintstagedrc.json) are merged; a
 * JavaScript or YAML config is left alone and the entry to add is printed.
 */
function addLintStagedEntry(tree: Tree, migrationsPath: string, configFile: string): void {
  const pattern = `${migrationsPath === '.' ? '' : `${migrationsPath}/`}**/*.sql`.replace(/^\.\//, '');
  const command = `pgwarden lint --since HEAD --config ${configFile}`;
  const merge = (config: Record<string, unknown>) => {
    if (!(pattern in config)) config[pattern] = command;
    return config;
  };
  const jsonFile = LINT_STAGED_JSON_FILES.find((file) => tree.exists(file) && isJsonObject(tree.read(file, 'utf-8') ?? ''));
  if (jsonFile) {
    updateJson(tree, jsonFile, merge);
    return;
  }
  const otherFile = [...LINT_STAGED_JSON_FILES, ...LINT_STAGED_OTHER_FILES].find((file) => tree.exists(file));
  if (otherFile) {
    const current = tree.read(otherFile, 'utf-8') ?? '';
    if (!current.includes(configFile)) logger.warn(`pgwarden: add this entry to ${otherFile} (left unchanged): ${JSON.stringify({ [pattern]: command })}`);
    return;
  }
  if (tree.exists('package.json') && readJson<Record<string, unknown>>(tree, 'package.json')['lint-staged']) {
    updateJson(tree, 'package.json', (json) => ({ ...json, 'lint-staged': merge(json['lint-staged']) }));
    return;
  }
  tree.write('.lintstagedrc.json', `${JSON.stringify(merge({}), null, 2)}\n`);
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** husky and lint-staged (unless present), the pgwarden binary for the hook, and "prepare": "husky". */
function addDependencies(tree: Tree, skipHook: boolean): GeneratorCallback | undefined {
  if (!tree.exists('package.json')) return undefined;
  const packageJson = readJson<{ dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> }>(tree, 'package.json');
  const present = (name: string) => Boolean(packageJson.dependencies?.[name] ?? packageJson.devDependencies?.[name]);
  const version = pluginVersion();
  const wanted: Record<string, string> = { '@pgwarden/nx': version, '@pgwarden/cli': version, ...(skipHook ? {} : HOOK_TOOLS) };
  const missing = Object.fromEntries(Object.entries(wanted).filter(([name]) => !present(name)));
  if (!skipHook) {
    updateJson(tree, 'package.json', (json) => {
      const prepare: string | undefined = json.scripts?.prepare;
      if (!prepare) json.scripts = { ...json.scripts, prepare: 'husky' };
      else if (!/\bhusky\b/.test(prepare)) json.scripts.prepare = `husky && ${prepare}`;
      return json;
    });
  }
  if (Object.keys(missing).length === 0) return undefined;
  return addDependenciesToPackageJson(tree, {}, missing);
}
