import { optionNamed } from '../sql/nodes.js';
import { allStatements, whereNested } from './support/everywhere.js';
import { defineRule } from './types.js';

/**
 * A password written in a migration is committed to git for good: every clone, CI log and backup of
 * the repository has it. A pre-hashed value (md5..., SCRAM-SHA-256$...) is no better: an md5 hash
 * logs in as it is, and a SCRAM verifier can be attacked offline. PASSWORD NULL (no password) is fine.
 * The password itself is never printed.
 */
export const rule = defineRule({
  id: 'role-password-literal',
  category: 'security',
  defaultSeverity: 'error',
  description: 'No CREATE/ALTER ROLE or USER with a PASSWORD literal: it commits a secret to git.',
  check(context) {
    for (const statement of allStatements(context.sql)) {
      const { kind, node } = statement;
      if (kind !== 'CreateRoleStmt' && kind !== 'AlterRoleStmt') continue;
      const password = optionNamed(node.options, 'password');
      if (!password?.arg) continue; // PASSWORD NULL has no argument
      const role = kind === 'CreateRoleStmt' ? node.role : node.role?.rolename ?? 'CURRENT_USER';
      const verb = kind === 'CreateRoleStmt' ? (node.stmt_type === 'ROLESTMT_USER' ? 'CREATE USER' : 'CREATE ROLE') : 'ALTER ROLE';
      const start = password.location === undefined ? undefined : statement.locate?.(password.location);
      context.report({
        statement,
        ...(start ? { range: { start, end: start } } : {}),
        message: `${verb} ${role} sets a PASSWORD literal: the secret (or its hash) is committed to git with the migration${whereNested(statement)}`,
        hint: 'create the role without a password (or PASSWORD NULL) and set it outside git: psql \\password, your secret manager, or a deployment step that reads it from the environment',
      });
    }
  },
});
