// Staged migrations go to `pgwarden lint`; --since HEAD makes executed migrations append-only;
// --hook adds --deep when pgwarden.config.json sets "hook": { "deep": true }.
// lint-staged hides unstaged changes while this runs, so a partially staged file is judged on its staged content.
// lint-staged 16 runs the command without a shell and splits it with string-argv, which knows
// quotes but no escapes: a path with an apostrophe goes in double quotes.
const quote = (file) => (file.includes("'") ? `"${file}"` : `'${file}'`);

export default {
  'migration_history/**/*.sql': (files) => `pgwarden lint --hook --since HEAD ${files.map(quote).join(' ')}`,
  // Generated types must follow the schema in the same commit: fingerprints only (no database,
  // milliseconds); on failure it names the stale files and prints the command to run.
  '{current_schema/**/*.sql,pgwarden.config.json,packages/db-types/overlays/**/*.json}': () => 'pgwarden types --fresh',
};
