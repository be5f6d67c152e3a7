export { verifyFunctions, VerifyError } from './verify-functions.js';
export { VERIFY_RULES, VERIFY_RULE_IDS, isVerifyRuleId, type VerifyRuleId, type VerifyRuleMeta } from './rules.js';
export type { FunctionDefect, UncheckedItem, VerifyEngine, VerifyOptions, VerifyResult } from './types.js';
