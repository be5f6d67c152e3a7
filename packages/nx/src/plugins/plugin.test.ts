import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateDependenciesContext, CreateNodesResult, ProjectConfiguration } from '@nx/devkit';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PgwardenPluginOptions } from './plugin.js';

// The plugin cache goes to a throwaway folder, not this workspace's .nx.
process.env.NX_WORKSPACE_DATA_DIRECTORY = mkdtempSync(join(tmpdir(), 'pgw-nx-data-'));
let plugin: typeof import('./plugin.js');
beforeAll(async () => {
  plugin = await import('./plugin.js');
});

let workspace: string;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'pgw-nx-plugin-'));
  write('package.json', '{"name":"fixture","private":true}');
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(workspace, path)), { recursive: true });
  writeFileSync(join(workspace, path), text);
}

async function infer(configFiles: string[], options: PgwardenPluginOptions = {}): Promise<Record<string, ProjectConfiguration>> {
  const results = await plugin.createNodesV2[1](configFiles, options, { nxJsonConfiguration: {}, workspaceRoot: workspace });
  const projects: Record<string, ProjectConfiguration> = {};
  for (const [, result] of results as [string, CreateNodesResult][]) Object.assign(projects, result.projects);
  return projects;
}

const SHIPPED = Object.keys(JSON.parse(readFileSync(new URL('../../executors.json', import.meta.url), 'utf8')).executors as object);

describe('createNodesV2', () => {
  it('infers a project rooted at the config folder, named after it, with exact inputs on the cached targets', async () => {
    write('packages/database/pgwarden.config.json', '{}');
    const projects = await infer(['packages/database/pgwarden.config.json']);
    const project = projects['packages/database'];
    expect(project.root).toBe('packages/database');
    expect(project.name).toBe('database');
    expect(Object.keys(project.targets ?? {}).sort()).toEqual(['check', 'lint', 'migrate', 'plan', 'plan-write', 'status', 'types']);
    const lint = project.targets!.lint;
    expect(lint.executor).toBe('@pgwarden/nx:lint');
    expect(lint.cache).toBe(true);
    // No @pgwarden/core installed in the fixture: the files and config are the whole input.
    expect(lint.inputs).toEqual([
      '{workspaceRoot}/packages/database/pgwarden.config.json',
      '{workspaceRoot}/packages/database/migration_history/**/*.sql',
      '{workspaceRoot}/packages/database/current_schema/**/*.sql',
    ]);
    expect(lint.outputs).toEqual([]);
    expect(lint.metadata?.description).toMatch(/convention/);
    expect(lint.metadata?.technologies).toContain('pgwarden');
    for (const name of ['migrate', 'status', 'plan-write']) {
      expect(project.targets![name].cache).toBe(false);
      expect(project.targets![name].inputs).toBeUndefined();
    }
  });

  it('at the workspace root the project is "db" and the inputs are still only the migration, schema and config files', async () => {
    write('pgwarden.config.json', JSON.stringify({ migrationsDir: 'sql/history', schemaDir: 'sql/schema' }));
    const project = (await infer(['pgwarden.config.json']))['.'];
    expect(project.name).toBe('db');
    expect(project.targets!.lint.inputs).toEqual([
      '{workspaceRoot}/pgwarden.config.json',
      '{workspaceRoot}/sql/history/**/*.sql',
      '{workspaceRoot}/sql/schema/**/*.sql',
    ]);
  });

  it('the installed engine is an external dependency of every cached target', async () => {
    write('pgwarden.config.json', '{}');
    write('node_modules/@pgwarden/core/package.json', '{"name":"@pgwarden/core","version":"9.9.9"}');
    const project = (await infer(['pgwarden.config.json']))['.'];
    expect(project.targets!.lint.inputs).toContainEqual({ externalDependencies: ['@pgwarden/core'] });
  });

  it('target and project names come from the plugin options', async () => {
    write('db/pgwarden.config.json', '{}');
    const project = (
      await infer(['db/pgwarden.config.json'], {
        projectName: 'warehouse',
        lintTargetName: 'lint-migrations',
        migrateTargetName: 'db-migrate',
        checkTargetName: 'prove-schema',
        planTargetName: 'impact',
        planWriteTargetName: 'impact-write',
      })
    )['db'];
    expect(project.name).toBe('warehouse');
    expect(Object.keys(project.targets ?? {}).sort()).toEqual(['db-migrate', 'impact', 'impact-write', 'lint-migrations', 'prove-schema', 'status', 'types']);
    expect(project.targets!.impact.executor).toBe('@pgwarden/nx:plan');
    expect(project.targets!['impact-write'].executor).toBe('@pgwarden/nx:plan');
  });

  it('a folder that is already a project keeps its own name', async () => {
    write('packages/database/package.json', '{"name":"@acme/database"}');
    write('packages/database/pgwarden.config.json', '{}');
    expect((await infer(['packages/database/pgwarden.config.json']))['packages/database'].name).toBeUndefined();
  });

  it('every shipped executor backs an inferred target, and every inferred target a shipped executor', async () => {
    write('pgwarden.config.json', '{}');
    const targets = (await infer(['pgwarden.config.json']))['.'].targets ?? {};
    expect([...new Set(Object.values(targets).map((target) => target.executor!.split(':')[1]))].sort()).toEqual([...SHIPPED].sort());
  });

  it('lint runs deep (as CI should) with the same exact inputs; its shallow configuration skips the shadow', async () => {
    write('packages/database/pgwarden.config.json', '{}');
    const lint = (await infer(['packages/database/pgwarden.config.json']))['packages/database'].targets!.lint;
    expect(lint.options).toEqual({ deep: true });
    expect(lint.configurations).toEqual({ shallow: { deep: false } });
    expect(lint.cache).toBe(true);
    expect(lint.inputs).toEqual([
      '{workspaceRoot}/packages/database/pgwarden.config.json',
      '{workspaceRoot}/packages/database/migration_history/**/*.sql',
      '{workspaceRoot}/packages/database/current_schema/**/*.sql',
    ]);
    // The executor's schema knows the option the target sets (Nx validates options against it).
    const schema = JSON.parse(readFileSync(new URL('../executors/lint/schema.json', import.meta.url), 'utf8'));
    expect(schema.properties.deep).toMatchObject({ type: 'boolean', default: false });
  });

  it('plan is cached on exactly the inputs lint reads, with no outputs; plan-write runs the same executor uncached with write', async () => {
    write('packages/database/pgwarden.config.json', JSON.stringify({ migrationsDir: 'history' }));
    const targets = (await infer(['packages/database/pgwarden.config.json']))['packages/database'].targets!;
    const plan = targets.plan;
    expect(plan.executor).toBe('@pgwarden/nx:plan');
    expect(plan.cache).toBe(true);
    expect(plan.options).toEqual({});
    expect(plan.inputs).toEqual(targets.lint.inputs);
    expect(plan.inputs).toContain('{workspaceRoot}/packages/database/history/**/*.sql');
    expect(plan.inputs).not.toContainEqual({ runtime: 'git rev-parse HEAD' });
    expect(plan.outputs).toEqual([]);
    expect(plan.metadata).toMatchObject({
      technologies: ['pgwarden', 'postgres'],
      description: expect.stringMatching(/impact analysis/i),
      help: { command: 'npx pgwarden plan --help', example: { options: { files: ['packages/database/history/2025-10-01_01_add_notes.sql'], format: 'json' } } },
    });
    const planWrite = targets['plan-write'];
    expect(planWrite).toMatchObject({ executor: '@pgwarden/nx:plan', cache: false, options: { write: true } });
    expect(planWrite.metadata?.help?.command).toBe('npx pgwarden plan --help');
  });

  it('a shadow built on a server (shadow.urlEnv) makes that variable an input of the cached targets, never of migrate', async () => {
    write('pgwarden.config.json', JSON.stringify({ shadow: { urlEnv: 'SHADOW_DATABASE_URL' } }));
    const targets = (await infer(['pgwarden.config.json']))['.'].targets!;
    for (const name of ['lint', 'check', 'types', 'plan']) expect(targets[name].inputs, name).toContainEqual({ env: 'SHADOW_DATABASE_URL' });
    expect(targets.migrate.inputs).toBeUndefined();
    // Near miss: without shadow.urlEnv there is no env input.
    write('pgwarden.config.json', '{}');
    const plain = (await infer(['pgwarden.config.json']))['.'].targets!;
    expect(plain.plan.inputs!.some((input) => typeof input === 'object' && 'env' in input)).toBe(false);
  });

  it('check is cached on the schema, migrations, config, engine and the git commit its history comparison reads', async () => {
    write('pgwarden.config.json', '{}');
    const check = (await infer(['pgwarden.config.json']))['.'].targets?.check;
    expect(check?.cache).toBe(true);
    expect(check?.inputs).toEqual(expect.arrayContaining(['{workspaceRoot}/pgwarden.config.json', '{workspaceRoot}/migration_history/**/*.sql', '{workspaceRoot}/current_schema/**/*.sql', { runtime: 'git rev-parse HEAD' }]));
  });

  it('types is cached with the generated files as outputs, the overlays as inputs, and the sync generator registered', async () => {
    write('packages/database/pgwarden.config.json', JSON.stringify({ types: { outputs: [{ path: '../db-types/src/database.ts', format: 'supabase' }], overlays: 'overlays' } }));
    const types = (await infer(['packages/database/pgwarden.config.json']))['packages/database'].targets?.types;
    expect(types?.cache).toBe(true);
    expect(types?.outputs).toEqual(['{workspaceRoot}/packages/db-types/src/database.ts']);
    expect(types?.inputs).toEqual(expect.arrayContaining([{ fileset: '{workspaceRoot}/packages/database/overlays/**/*.json' }]));
    expect(types?.syncGenerators).toEqual(['@pgwarden/nx:types-sync']);
  });

  it('a config that is not valid JSON still yields the project (lint reports the error)', async () => {
    write('pgwarden.config.json', '{ not json');
    expect((await infer(['pgwarden.config.json']))['.'].targets?.lint).toBeDefined();
  });
});

describe('createDependencies', () => {
  function context(projects: Record<string, ProjectConfiguration>): CreateDependenciesContext {
    return { projects, externalNodes: {}, nxJsonConfiguration: {}, workspaceRoot: workspace, fileMap: { projectFileMap: {}, nonProjectFiles: [] }, filesToProcess: { projectFileMap: {}, nonProjectFiles: [] } };
  }

  it('the project owning the types output depends on the database project; no other project does', async () => {
    write('packages/database/pgwarden.config.json', JSON.stringify({ types: { outDir: '../db-types/src/generated' } }));
    const projects = {
      database: { root: 'packages/database' },
      'db-types': { root: 'packages/db-types' },
      web: { root: 'packages/web' },
      workspace: { root: '.' },
    };
    expect(await plugin.createDependencies({}, context(projects))).toEqual([{ source: 'db-types', target: 'database', type: 'implicit' }]);
  });

  it('reads types.outputs[].path too, and adds nothing when no project owns an output', async () => {
    write('pgwarden.config.json', JSON.stringify({ types: { outputs: [{ path: 'libs/types/src/db.ts' }, { path: 'nowhere/x.ts' }] } }));
    const projects = { db: { root: '.' }, types: { root: 'libs/types' }, 'types-extra': { root: 'libs/types-extra' } };
    expect(await plugin.createDependencies({}, context(projects))).toEqual([{ source: 'types', target: 'db', type: 'implicit' }]);
  });
});
