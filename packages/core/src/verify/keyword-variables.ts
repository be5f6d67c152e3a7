import type { BodyVariable } from './body.js';
import type { FunctionParameter } from './functions.js';

/**
 * Names SQL reads as keywords (SQLValueFunction) wherever an expression may stand, so a
 * PL/pgSQL variable or parameter of that name is silently never used: `current_time` in a
 * statement is the clock, not the variable.
 */
export const SQL_KEYWORD_FUNCTIONS = new Set([
  'current_catalog',
  'current_date',
  'current_role',
  'current_schema',
  'current_time',
  'current_timestamp',
  'current_user',
  'localtime',
  'localtimestamp',
  'session_user',
  'system_user',
  'user',
]);

export interface KeywordVariable {
  name: string;
  /** Declared in the body (line) or a parameter of the function (no line). */
  lineno?: number;
  parameter: boolean;
}

export function keywordVariables(parameters: readonly FunctionParameter[], variables: readonly BodyVariable[]): KeywordVariable[] {
  const found: KeywordVariable[] = [];
  for (const parameter of parameters) {
    if (parameter.name && SQL_KEYWORD_FUNCTIONS.has(parameter.name)) found.push({ name: parameter.name, parameter: true });
  }
  for (const variable of variables) {
    if (variable.lineno && SQL_KEYWORD_FUNCTIONS.has(variable.name)) found.push({ name: variable.name, lineno: variable.lineno, parameter: false });
  }
  return found;
}

export function keywordVariableMessage(variable: KeywordVariable): { message: string; hint: string } {
  const what = variable.parameter ? 'parameter' : 'variable';
  return {
    message: `${what} "${variable.name}" is named like the SQL keyword ${variable.name.toUpperCase()}: statements read the keyword, never the ${what}`,
    hint: `rename the ${what} (e.g. v_${variable.name})`,
  };
}
