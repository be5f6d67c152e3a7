import type { Severity } from '../rules/types.js';
import type { VerifyRuleId } from './rules.js';

export type VerifyEngine = 'plpgsql_check' | 'builtin';

export interface VerifyOptions {
  /** Schemas whose functions and procedures are verified (extension members are left out). */
  schemas: string[];
  /** `auto` (default): plpgsql_check where the server has it, else the built-in verifier. */
  engine?: 'auto' | VerifyEngine;
  /** Only these function keys (`schema.name(argtypes)`, see catalog/identity.ts). */
  functions?: string[];
}

export interface FunctionDefect {
  /** `schema.name(argtypes)` as in catalog/identity.ts. */
  function: string;
  rule: VerifyRuleId;
  severity: Severity;
  message: string;
  hint?: string;
  /** SQLSTATE when Postgres gave one. */
  sqlstate?: string;
  /**
   * 1-based line inside the function body (prosrc); absent for defects of the signature (a
   * parameter). Line 1 is the rest of the line that holds the body's opening quote (`AS $$`), so in
   * the file: fileLine = line of the opening quote + bodyLine - 1 (and on bodyLine 1 the column
   * counts from just after the quote).
   */
  bodyLine?: number;
  /** 1-based column on bodyLine, where known. */
  column?: number;
}

/** A function, or part of one, that was not verified, and why: a run never implies more than it checked. */
export interface UncheckedItem {
  function: string;
  bodyLine?: number;
  reason: string;
}

export interface VerifyResult {
  engine: VerifyEngine;
  /** Functions verified (fully or in part, see `unchecked`). 0 means nothing was verified. */
  checked: number;
  defects: FunctionDefect[];
  /** Functions left out entirely, and statements of checked functions that could not be checked. */
  unchecked: UncheckedItem[];
  /** Work done, for cost tests: statements prepared against the catalog (builtin), functions handed to plpgsql_check. */
  counts: { prepared: number; plpgsqlCheckCalls: number; validatorCalls: number };
}
