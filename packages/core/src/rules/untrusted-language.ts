import type { PgNode, SqlStatement } from '../sql/types.js';
import { stringOf } from '../sql/nodes.js';
import { allStatements, languageOf, whereNested } from './support/everywhere.js';
import { defineRule } from './types.js';

/**
 * Languages whose code runs without Postgres' sandbox: the untrusted procedural languages (Python,
 * Perl and Tcl with file and process access, R, sh, Java) and C / internal (native code in the
 * server process). Only a superuser may create functions in them.
 */
const UNTRUSTED = new Set(['plpythonu', 'plpython2u', 'plpython3u', 'plperlu', 'pltclu', 'pljavau', 'plr', 'plsh', 'c', 'internal']);

/** What a language lets its code do, for the message. */
function power(language: string): string {
  if (language === 'c' || language === 'internal') return 'native code inside the server process';
  return 'code with full access to the server\'s files, network and processes';
}

/**
 * CREATE LANGUAGE / CREATE EXTENSION of an untrusted language, CREATE FUNCTION or PROCEDURE in one,
 * and DO blocks in one. Trusted languages (plpgsql, sql, plperl, pltcl, plv8) are fine.
 */
export const rule = defineRule({
  id: 'untrusted-language',
  category: 'security',
  defaultSeverity: 'error',
  description: 'No untrusted languages (plpython3u, plperlu, pltclu, C, internal, ...): neither creating them nor functions or DO blocks in them.',
  check(context) {
    for (const statement of allStatements(context.sql)) {
      const problem = inspect(statement);
      if (problem) context.report({ statement, message: `${problem.message}${whereNested(statement)}`, hint: problem.hint });
    }
  },
});

function inspect(statement: SqlStatement): { message: string; hint: string } | undefined {
  const { kind, node } = statement;
  const rewrite = 'write it in plpgsql or sql; if the platform truly needs it, install it as an operator (outside migrations) and suppress with a reason';
  if (kind === 'CreateExtensionStmt' || kind === 'CreatePLangStmt') {
    const name = String(kind === 'CreateExtensionStmt' ? node.extname : node.plname).toLowerCase();
    // A language with a handler of its own and no TRUSTED keyword is untrusted too.
    const customUntrusted = kind === 'CreatePLangStmt' && node.plhandler && !node.pltrusted;
    if (!UNTRUSTED.has(name) && !customUntrusted) return undefined;
    return {
      message: `${kind === 'CreatePLangStmt' && node.pltrusted ? 'CREATE TRUSTED LANGUAGE' : kind === 'CreatePLangStmt' ? 'CREATE LANGUAGE' : 'CREATE EXTENSION'} ${name} installs an untrusted language: its functions run ${power(name)}`,
      hint: 'use plpgsql or sql; an untrusted language is installed by a superuser outside migrations, if ever',
    };
  }
  if (kind === 'CreateFunctionStmt' || kind === 'DoStmt') {
    const language = languageOf(statement);
    if (!language || !UNTRUSTED.has(language)) return undefined;
    const what = kind === 'DoStmt' ? 'DO block' : node.is_procedure ? `procedure ${nameOf(node.funcname)}` : `function ${nameOf(node.funcname)}`;
    return { message: `${what} in the untrusted language ${language} runs ${power(language)}`, hint: rewrite };
  }
  return undefined;
}

function nameOf(parts: PgNode[] | undefined): string {
  return (parts ?? []).map(stringOf).join('.');
}
