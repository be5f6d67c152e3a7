import { allStatements, whereNested } from './support/everywhere.js';
import { defineRule } from './types.js';

/**
 * ALTER SYSTEM writes postgresql.auto.conf: a server-wide setting that no transaction rolls back,
 * that current_schema/ cannot describe, and that applies to every database of the cluster.
 */
export const rule = defineRule({
  id: 'alter-system',
  category: 'security',
  defaultSeverity: 'error',
  description: 'No ALTER SYSTEM: it changes the whole server\'s configuration, outside any transaction and outside the schema.',
  check(context) {
    for (const statement of allStatements(context.sql)) {
      if (statement.kind !== 'AlterSystemStmt') continue;
      const setting = statement.node.setstmt?.name;
      const reset = statement.node.setstmt?.kind === 'VAR_RESET_ALL';
      context.report({
        statement,
        message: `ALTER SYSTEM ${reset ? 'RESET ALL' : setting ? `on ${setting}` : ''} changes the configuration of the whole server (postgresql.auto.conf), for every database, and no rollback undoes it${whereNested(statement)}`.replace('  ', ' '),
        hint: 'scope the setting to what the migration needs (ALTER DATABASE ... SET, ALTER ROLE ... SET, ALTER FUNCTION ... SET, or SET LOCAL), or leave server configuration to the operators',
      });
    }
  },
});
