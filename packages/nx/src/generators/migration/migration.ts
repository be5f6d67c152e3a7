import { posix } from 'node:path';
import { glob, logger, readJson, readProjectConfiguration, visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import { newMigrationFile } from '@pgwarden/core/migration/index';
import { localDate } from '@pgwarden/core/runner/index';
import { CONFIG_FILE_NAME } from '../../utils/project-layout.js';
import type { MigrationGeneratorSchema } from './schema.js';

/** `pgwarden new` as a generator: the same core function names and renders the file. */
export async function migrationGenerator(tree: Tree, options: MigrationGeneratorSchema): Promise<void> {
  const configFile = findConfig(tree, options.project);
  const root = posix.dirname(configFile);
  const migrationsDir = posix.join(root, readJson<{ migrationsDir?: string }>(tree, configFile).migrationsDir ?? 'migration_history');
  const existing: string[] = [];
  if (tree.exists(migrationsDir)) visitNotIgnoredFiles(tree, migrationsDir, (path) => path.toLowerCase().endsWith('.sql') && existing.push(path));
  const { fileName, text } = newMigrationFile({ date: options.date ?? localDate(), slug: options.name, title: options.title, existing });
  const folder = posix.normalize(posix.join(migrationsDir, options.directory ?? ''));
  if (folder !== migrationsDir && !folder.startsWith(`${migrationsDir}/`)) {
    throw new Error(`directory "${options.directory}" must be a sub-folder of ${migrationsDir}/ (migrate only reads migrations there)`);
  }
  const path = posix.join(folder, fileName);
  tree.write(path, text);
  logger.info(`pgwarden: created ${path}`);
}

export default migrationGenerator;

function findConfig(tree: Tree, project: string | undefined): string {
  if (project) {
    const configFile = posix.join(readProjectConfiguration(tree, project).root, CONFIG_FILE_NAME);
    if (!tree.exists(configFile)) throw new Error(`project "${project}" has no ${CONFIG_FILE_NAME}`);
    return configFile;
  }
  const configs = glob(tree, [`**/${CONFIG_FILE_NAME}`]);
  if (configs.length === 1) return configs[0];
  if (configs.length === 0) throw new Error(`no ${CONFIG_FILE_NAME} in the workspace: run nx g @pgwarden/nx:init first`);
  throw new Error(`several pgwarden projects (${configs.join(', ')}): pass --project`);
}
