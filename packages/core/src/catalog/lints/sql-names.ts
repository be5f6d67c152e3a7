/** Object names as SQL for the hints of catalog lints (quoted where Postgres needs it). */
import { quoteIdent } from '../../sql/quote.js';
import type { FunctionInfo } from '../types.js';

export function relationSql(object: { schema: string; name: string }): string {
  return `${quoteIdent(object.schema)}.${quoteIdent(object.name)}`;
}

/** `schema.name(type, ...)` with the input argument types, as ALTER FUNCTION takes it. */
export function functionSql(fn: FunctionInfo): string {
  const inputs = fn.arguments.filter((argument) => argument.mode === 'in' || argument.mode === 'inout' || argument.mode === 'variadic');
  return `${relationSql(fn)}(${inputs.map((argument) => (argument.mode === 'variadic' ? `VARIADIC ${argument.type}` : argument.type)).join(', ')})`;
}
