import { allStatements, builtinCalls, whereNested } from './support/everywhere.js';
import { defineRule } from './types.js';

/** Built-in functions that read or write files of the database server (adminpack's included). */
const FILE_FUNCTIONS: Record<string, string> = {
  lo_import: 'reads a file of the database server into a large object',
  lo_export: 'writes a large object to a file on the database server',
  pg_read_file: 'reads a file of the database server',
  pg_read_binary_file: 'reads a file of the database server',
  pg_ls_dir: 'lists a directory of the database server',
  pg_stat_file: 'reads the metadata of a file of the database server',
  pg_file_write: 'writes a file on the database server',
  pg_file_rename: 'renames a file on the database server',
  pg_file_unlink: 'deletes a file on the database server',
};

/**
 * COPY to or from a file path, lo_import/lo_export and the pg_read_file family read and write
 * files on the database host with the server's privileges: a migration that runs them can leak
 * or overwrite server files. COPY ... FROM STDIN / TO STDOUT moves data through the client and is
 * fine; so are the large-object functions that do not touch files (lo_create, lo_unlink, ...).
 */
export const rule = defineRule({
  id: 'server-file-access',
  category: 'security',
  defaultSeverity: 'error',
  description: 'No COPY to or from a server file, lo_import/lo_export or pg_read_file: they read and write files on the database server.',
  check(context) {
    for (const statement of allStatements(context.sql)) {
      const { kind, node } = statement;
      if (kind !== 'CopyStmt' || node.is_program || typeof node.filename !== 'string') continue;
      const direction = node.is_from ? 'FROM' : 'TO';
      context.report({
        statement,
        message: `COPY ... ${direction} '${node.filename}' ${node.is_from ? 'reads a file of' : 'writes a file on'} the database server with the server's privileges${whereNested(statement)}`,
        hint: `use COPY ... ${node.is_from ? 'FROM STDIN' : 'TO STDOUT'} (psql \\copy) from a client or a job, not a migration`,
      });
    }
    for (const { name, site, range } of builtinCalls(context.sql, new Set(Object.keys(FILE_FUNCTIONS)))) {
      context.report({
        range,
        message: `${name}() ${FILE_FUNCTIONS[name]} with the server's privileges${whereNested(site.statement ?? site.expression)}`,
        hint: name.startsWith('lo_')
          ? `use the client-side large-object API (psql \\lo_${name.slice(3)}, or your driver's) from a job, not the server-side function in a migration`
          : 'a migration has no business reading server files; move this to an operator task',
      });
    }
  },
});
