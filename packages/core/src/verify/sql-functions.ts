import type { DbSession } from '../db/types.js';
import { codePointOffsetToIndex } from '../sql/positions.js';
import { lineStartsOf, positionIn } from './body.js';
import type { VerifiableFunction } from './functions.js';
import { verifyRule } from './rules.js';
import { isPgError, pgErrorFields, type FunctionScope } from './session-tools.js';
import type { FunctionDefect, VerifyResult } from './types.js';

/**
 * SQL-language bodies are checked when they are created (check_function_bodies), but a table
 * dropped later breaks them silently: run the language validator again, as CREATE would.
 */
export async function validateSqlFunction(
  session: DbSession,
  fn: VerifiableFunction,
  scope: FunctionScope,
  counts: VerifyResult['counts'],
): Promise<FunctionDefect[]> {
  counts.validatorCalls++;
  try {
    await session.query('SELECT pg_catalog.fmgr_sql_validator($1::pg_catalog.oid)', [fn.oid]);
    return [];
  } catch (error) {
    if (!isPgError(error)) throw error;
    await scope.recover();
    const fields = pgErrorFields(error);
    const defect: FunctionDefect = {
      function: fn.key,
      rule: 'function-body-invalid',
      severity: verifyRule('function-body-invalid').defaultSeverity,
      message: fields.message,
    };
    if (fields.code) defect.sqlstate = fields.code;
    if (fields.hint ?? fields.detail) defect.hint = fields.hint ?? fields.detail;
    // The validator reports positions inside the body (prosrc) as the internal position.
    if (fields.internalPosition !== undefined) {
      const position = positionIn(lineStartsOf(fn.source), codePointOffsetToIndex(fn.source, fields.internalPosition - 1));
      defect.bodyLine = position.line;
      defect.column = position.column;
    }
    return [defect];
  }
}
