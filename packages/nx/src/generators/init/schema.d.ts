export interface InitGeneratorSchema {
  /** Folder of the database project, relative to the workspace root (default: the root). */
  directory?: string;
  /** Name of the inferred project (default: `db` at the root, else the folder's name). */
  projectName?: string;
  /** Postgres major version the migrations target (written to a new config). */
  postgresVersion?: number;
  /** Do not add husky, lint-staged or the pre-commit hook. */
  skipHook?: boolean;
  /** Do not add dependencies to package.json (and so install nothing). */
  skipPackageJson?: boolean;
}
