import { readJson, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';
import { beforeEach, describe, expect, it } from 'vitest';
import { hookCommand, initGenerator } from './init.js';

function snapshot(tree: Tree): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const child of tree.children(dir)) {
      const path = dir === '' ? child : `${dir}/${child}`;
      if (tree.isFile(path)) files[path] = tree.read(path, 'utf-8') ?? '';
      else visit(path);
    }
  };
  visit('');
  return files;
}

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('sets up a database project in a sub-folder: plugin, config with $schema, folders, hook, lint-staged, .gitignore, dependencies', async () => {
    const install = await initGenerator(tree, { directory: 'packages/database' });

    expect(readNxJson(tree)?.plugins).toContain('@pgwarden/nx');
    const config = readJson(tree, 'packages/database/pgwarden.config.json');
    expect(config.$schema).toBe('../../node_modules/@pgwarden/core/pgwarden.schema.json');
    expect(config).toMatchObject({ migrationsDir: 'migration_history', schemaDir: 'current_schema', postgresVersion: 15 });
    expect(tree.exists('packages/database/migration_history/.gitkeep')).toBe(true);
    expect(tree.exists('packages/database/current_schema/.gitkeep')).toBe(true);
    expect(tree.read('.gitignore', 'utf-8')).toMatch(/^\.pgwarden\/$/m);
    // husky 9 is what init installs, and it puts node_modules/.bin on PATH: no npx.
    expect(tree.read('.husky/pre-commit', 'utf-8')).toMatch(/^lint-staged --diff-filter=ACMRD$/m);
    expect(readJson(tree, '.lintstagedrc.json')).toEqual({
      'packages/database/migration_history/**/*.sql': 'pgwarden lint --since HEAD --config packages/database/pgwarden.config.json',
    });
    const packageJson = readJson(tree, 'package.json');
    expect(packageJson.devDependencies).toMatchObject({ husky: '9.1.7', 'lint-staged': '16.4.0', '@pgwarden/cli': '0.1.0', '@pgwarden/nx': '0.1.0' });
    expect(packageJson.scripts.prepare).toBe('husky');
    expect(typeof install).toBe('function');
  });

  it('merges with the hooks, lint-staged config, .gitignore and scripts a workspace already has', async () => {
    tree.write('.husky/pre-commit', 'npm test\n');
    tree.write('.gitignore', 'node_modules\ndist');
    tree.write('packages/database/pgwarden.config.json', JSON.stringify({ migrationsDir: 'sql/migrations', schemaDir: 'sql/schema' }));
    const packageJson = readJson(tree, 'package.json');
    tree.write(
      'package.json',
      JSON.stringify({ ...packageJson, scripts: { prepare: 'node setup.js' }, devDependencies: { husky: '^9.1.0' }, 'lint-staged': { '*.ts': 'eslint --fix' } }),
    );

    await initGenerator(tree, { directory: 'packages/database' });

    expect(tree.read('.husky/pre-commit', 'utf-8')).toMatch(/^npm test\n(.*\n)*lint-staged --diff-filter=ACMRD\n$/);
    expect(tree.read('.husky/pre-commit', 'utf-8')).not.toContain('npx');
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\ndist\n.pgwarden/\n');
    const merged = readJson(tree, 'package.json');
    expect(merged['lint-staged']).toEqual({
      '*.ts': 'eslint --fix',
      'packages/database/sql/migrations/**/*.sql': 'pgwarden lint --since HEAD --config packages/database/pgwarden.config.json',
    });
    expect(merged.scripts.prepare).toBe('husky && node setup.js');
    expect(merged.devDependencies.husky).toBe('^9.1.0');
    expect(tree.exists('.lintstagedrc.json')).toBe(false);
    // The existing config is kept as it is; its folders are created.
    expect(readJson(tree, 'packages/database/pgwarden.config.json')).toEqual({ migrationsDir: 'sql/migrations', schemaDir: 'sql/schema' });
    expect(tree.exists('packages/database/sql/migrations/.gitkeep')).toBe(true);
  });

  it('keeps npx in the hook of a workspace on husky 8, whose hooks do not have node_modules/.bin on PATH', async () => {
    const packageJson = readJson(tree, 'package.json');
    tree.write('package.json', JSON.stringify({ ...packageJson, scripts: { prepare: 'husky install' }, devDependencies: { husky: '^8.0.3' } }));
    tree.write('.husky/pre-commit', '#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n');
    await initGenerator(tree, { directory: 'db' });
    expect(tree.read('.husky/pre-commit', 'utf-8')).toMatch(/husky\.sh"\n(.*\n)*npx --no-install lint-staged --diff-filter=ACMRD\n$/);
    expect(readJson(tree, 'package.json').scripts.prepare).toBe('husky install');
  });

  it('calls lint-staged directly from husky 9.1 on, judged by the lowest version of the declared range, and keeps npx otherwise', () => {
    expect(hookCommand(undefined)).toBe('lint-staged --diff-filter=ACMRD');
    for (const range of ['9.1.7', '^9.1.0', '~9.1.0', '>=9.2', 'v10.0.0']) expect(hookCommand(range), range).toBe('lint-staged --diff-filter=ACMRD');
    // Before 9.1 hooks ran without node_modules/.bin on PATH; ^9.0.11 may be locked at 9.0.11.
    for (const range of ['^9.0.11', '9', '^8.0.3', '8', '7.0.4', 'latest', 'workspace:*', 'github:typicode/husky'])
      expect(hookCommand(range), range).toBe('npx --no-install lint-staged --diff-filter=ACMRD');
  });

  it('is safe to run twice: the second run changes nothing', async () => {
    tree.write('.husky/pre-commit', 'npm test\n');
    await initGenerator(tree, { directory: 'db' });
    const first = snapshot(tree);
    await initGenerator(tree, { directory: 'db' });
    expect(snapshot(tree)).toEqual(first);
    expect(readNxJson(tree)?.plugins?.filter((entry) => entry === '@pgwarden/nx')).toHaveLength(1);
  });

  it('leaves a JavaScript lint-staged config untouched (it cannot be merged safely)', async () => {
    const js = "export default { '*.js': 'eslint' };\n";
    tree.write('.lintstagedrc.mjs', js);
    await initGenerator(tree, {});
    expect(tree.read('.lintstagedrc.mjs', 'utf-8')).toBe(js);
    expect(tree.exists('.lintstagedrc.json')).toBe(false);
  });

  it('at the root: the config and folders sit at the root and the lint-staged pattern has no prefix', async () => {
    await initGenerator(tree, {});
    expect(readJson(tree, 'pgwarden.config.json').$schema).toBe('./node_modules/@pgwarden/core/pgwarden.schema.json');
    expect(readJson(tree, '.lintstagedrc.json')).toEqual({ 'migration_history/**/*.sql': 'pgwarden lint --since HEAD --config pgwarden.config.json' });
  });

  it('a project name gets its own plugin entry limited to that config', async () => {
    await initGenerator(tree, { directory: 'packages/database', projectName: 'db' });
    expect(readNxJson(tree)?.plugins).toContainEqual({ plugin: '@pgwarden/nx', include: ['packages/database/pgwarden.config.json'], options: { projectName: 'db' } });
    await initGenerator(tree, { directory: 'packages/database', projectName: 'db' });
    expect(readNxJson(tree)?.plugins).toHaveLength(1);
  });

  it('skipHook adds neither the hook nor its tools', async () => {
    await initGenerator(tree, { skipHook: true });
    expect(tree.exists('.husky/pre-commit')).toBe(false);
    expect(tree.exists('.lintstagedrc.json')).toBe(false);
    expect(readJson(tree, 'package.json').devDependencies?.husky).toBeUndefined();
  });

  it('refuses a folder outside the workspace', async () => {
    await expect(initGenerator(tree, { directory: '../elsewhere' })).rejects.toThrow('must be a folder inside the workspace');
  });
});
