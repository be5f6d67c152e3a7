export { runCheck, type CheckOptions, type CheckReport, type ConsistencyReport } from './check.js';
export { planSchemaFix, historyStatementFor, type FixNote, type MigrationSource, type SchemaFixPlan, type SqlSource } from './fix-schema.js';
export { resolveBase, filesAtRevision, GitBaseError, type BaseRevision } from './git-base.js';
export { CHECK_RULE_LIST, CHECK_RULES, type CheckRuleId, type CheckRuleMeta } from './rules.js';
