export { deepLint, DeepLinter, type DeepLintOptions, type DeepLintReport } from './deep-lint.js';
export { DEEP_RULE_LIST, DEEP_RULES, type DeepRuleId, type DeepRuleMeta } from './rules.js';
