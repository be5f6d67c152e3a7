import { allStatements, whereNested } from './support/everywhere.js';
import { defineRule } from './types.js';

/**
 * COPY ... TO PROGRAM / FROM PROGRAM hands a command line to the server's shell, run as the
 * operating-system user that owns the cluster: code execution on the database host. A schema
 * migration has no reason to do that.
 */
export const rule = defineRule({
  id: 'copy-program',
  category: 'security',
  defaultSeverity: 'error',
  description: 'No COPY ... TO PROGRAM or FROM PROGRAM: it runs a shell command on the database server.',
  check(context) {
    for (const statement of allStatements(context.sql)) {
      if (statement.kind !== 'CopyStmt' || !statement.node.is_program) continue;
      const direction = statement.node.is_from ? 'FROM' : 'TO';
      context.report({
        statement,
        message: `COPY ... ${direction} PROGRAM runs a shell command on the database server as the operating-system user that owns it${whereNested(statement)}`,
        hint:
          direction === 'TO'
            ? 'export data from a job or with psql \\copy on the client, never from a migration'
            : 'load data from a job or with psql \\copy ... FROM on the client, never by running a program on the server',
      });
    }
  },
});
