// Staged migrations go to `pgwarden lint`; --since HEAD makes executed migrations append-only.
// lint-staged hides unstaged changes while this runs, so a partially staged file is judged on its staged content.
const quote = (file) => `'${file.replace(/'/g, `'\\''`)}'`;

export default {
  'migration_history/**/*.sql': (files) => `pgwarden lint --since HEAD ${files.map(quote).join(' ')}`,
};
