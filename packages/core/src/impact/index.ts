export { deepLint, DeepLinter, deepLintSummary, type DeepLintOptions, type DeepLintReport, type MigrationProof, type ProofObserver } from './deep-lint.js';
export { appliedBefore, isExecutedMigration, reflectedInCurrentSchema } from './pending.js';
export { DEEP_RULE_LIST, DEEP_RULES, type DeepRuleId, type DeepRuleMeta } from './rules.js';
export { impactReport, writeImpactIntoFile, writeImpactIntoHeader, type DependentObject, type ImpactReport, type SchemaEdit, type StatementImpact } from './impact-report.js';
export { impactMarkdown } from './impact-markdown.js';
export { statementLocks, type LockMode, type StatementLock } from './locks.js';
