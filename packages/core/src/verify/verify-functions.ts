import type { Database, DbSession } from '../db/types.js';
import { loadedParser } from '../sql/parser.js';
import { byteOffsetToIndex } from '../sql/positions.js';
import type { PgQuery } from '../sql/parser.js';
import { lineStartsOf, parsePlpgsqlBody, positionIn, relationsCreatedIn } from './body.js';
import { BodySuppressions } from './body-suppressions.js';
import { BuiltinVerifier } from './builtin.js';
import { configuredSearchPath, listFunctions, type VerifiableFunction } from './functions.js';
import { keywordVariableMessage, keywordVariables } from './keyword-variables.js';
import { checkWithPlpgsqlCheck, ensurePlpgsqlCheck, plpgsqlCheckAvailable, plpgsqlCheckSchema } from './plpgsql-check.js';
import { verifyRule } from './rules.js';
import { FunctionScope, inRolledBackTransaction, isPgError, pgErrorFields } from './session-tools.js';
import { validateSqlFunction } from './sql-functions.js';
import type { FunctionDefect, VerifyEngine, VerifyOptions, VerifyResult } from './types.js';

/** Raised for a verification that cannot run as asked (e.g. plpgsql_check requested but absent). */
export class VerifyError extends Error {}

type Located = FunctionDefect & { statementLine?: number };

/**
 * Verifies the functions and procedures of `options.schemas` in a database that already holds
 * the schema. Everything runs in one transaction that is rolled back. The session must not be
 * inside a transaction of its own.
 */
export async function verifyFunctions(db: Database | DbSession, options: VerifyOptions): Promise<VerifyResult> {
  const ownSession = 'session' in db;
  const session = ownSession ? await db.session() : db;
  try {
    return await verifyInSession(session, ownSession ? db.kind : undefined, options);
  } finally {
    if (ownSession) await session.close();
  }
}

async function chooseEngine(session: DbSession, kind: Database['kind'] | undefined, requested: VerifyOptions['engine']): Promise<VerifyEngine> {
  if (requested === 'builtin') return 'builtin';
  const available = kind !== 'pglite' && ((await plpgsqlCheckSchema(session)) !== undefined || (await plpgsqlCheckAvailable(session)));
  if (requested === 'plpgsql_check' && !available) {
    throw new VerifyError(
      'plpgsql_check is not available on this database: install it on the server (Debian: apt-get install postgresql-15-plpgsql-check) or use the builtin engine',
    );
  }
  return available ? 'plpgsql_check' : 'builtin';
}

async function verifyInSession(session: DbSession, kind: Database['kind'] | undefined, options: VerifyOptions): Promise<VerifyResult> {
  const requested = options.engine ?? 'auto';
  const engine = await chooseEngine(session, kind, requested);
  const result: VerifyResult = { engine, checked: 0, defects: [], unchecked: [], counts: { prepared: 0, plpgsqlCheckCalls: 0, validatorCalls: 0 } };
  const pg = await loadedParser();
  const defaultSearchPath = (await session.query<{ path: string }>(`SELECT pg_catalog.current_setting('search_path') AS path`)).rows[0].path;
  const functions = await listFunctions(session, options.schemas, options.functions);

  await inRolledBackTransaction(session, async () => {
    let checkSchema: string | undefined;
    if (engine === 'plpgsql_check') {
      const installed = await ensurePlpgsqlCheck(session);
      if ('schema' in installed) checkSchema = installed.schema;
      else if (requested === 'plpgsql_check') throw new VerifyError(`cannot use plpgsql_check on this database: ${installed.failure}`);
      else result.engine = 'builtin'; // auto: available but not installable by this role
    }
    const builtin = new BuiltinVerifier(session, pg, result.counts);
    const scope = new FunctionScope(session, defaultSearchPath);
    for (const fn of functions) {
      await scope.enter(configuredSearchPath(fn));
      try {
        const outcome = await verifyOne(fn);
        if (outcome) {
          result.checked++;
          result.defects.push(...outcome);
        }
      } finally {
        await scope.leave();
      }
    }

    async function verifyOne(fn: VerifiableFunction): Promise<FunctionDefect[] | undefined> {
      if (fn.language === 'sql') {
        const defects: Located[] = await validateSqlFunction(session, fn, scope, result.counts);
        const starts = sqlStatementLines(pg, fn.source);
        const statementOf = (defect: Located) => (defect.bodyLine === undefined ? undefined : starts.filter((line) => line <= defect.bodyLine!).pop());
        return new BodySuppressions(fn.key, fn.source, starts).apply(defects, statementOf).map(withoutStatementLine);
      }
      if (fn.language !== 'plpgsql' || !fn.definition) {
        result.unchecked.push({ function: fn.key, reason: `functions in language ${fn.language} are not verified` });
        return undefined;
      }
      if (fn.returnsEventTrigger) {
        result.unchecked.push({ function: fn.key, reason: 'event trigger functions are not verified' });
        return undefined;
      }
      const parsed = parsePlpgsqlBody(pg, fn.definition, fn.source);
      if (!parsed.ok && !checkSchema) {
        // The server accepted the body, so pgwarden's parser is the one that differs.
        result.unchecked.push({ function: fn.key, reason: `the body does not parse with pgwarden's parser: ${parsed.message}` });
        return undefined;
      }
      const body = parsed.ok ? parsed.body : undefined;
      const defects: Located[] = keywordVariables(fn.parameters, body?.variables ?? []).map((variable) => ({
        function: fn.key,
        rule: 'function-keyword-variable',
        severity: verifyRule('function-keyword-variable').defaultSeverity,
        ...keywordVariableMessage(variable),
        ...(variable.lineno ? { bodyLine: variable.lineno, statementLine: variable.lineno } : {}),
      }));
      let outcome;
      if (checkSchema) {
        // plpgsql_check reads the body itself; pgwarden's parser (which has no catalog, so it cannot
        // resolve e.g. `v_row.field :=`) only adds the keyword check, created tables and dynamic SQL.
        try {
          outcome = await checkWithPlpgsqlCheck(session, checkSchema, fn, body ? relationsCreatedIn(pg, body) : new Set(), result.counts);
        } catch (error) {
          if (!isPgError(error)) throw error;
          await scope.recover();
          result.unchecked.push({ function: fn.key, reason: `plpgsql_check failed on it: ${pgErrorFields(error).message}` });
          return undefined;
        }
        // plpgsql_check does not look into dynamic SQL either: say so rather than imply it was checked.
        for (const expression of body?.expressions.filter((e) => e.dynamic) ?? []) {
          outcome.unchecked.push({ function: fn.key, bodyLine: expression.lineno, reason: 'dynamic SQL (EXECUTE) is built at run time' });
        }
      } else {
        outcome = await builtin.verifyPlpgsql(fn, body!, scope);
      }
      result.unchecked.push(...outcome.unchecked);
      if (outcome.unchecked.some((item) => item.bodyLine === undefined)) return undefined;
      defects.push(...outcome.defects);
      const suppressions = new BodySuppressions(fn.key, fn.source, body?.statementLines ?? codeLines(fn.source));
      return suppressions.apply(defects, (defect) => (defect as Located).statementLine).map(withoutStatementLine);
    }
  });
  return result;
}

/** First code line of each statement of an SQL body (after leading blanks and comments). */
function sqlStatementLines(pg: PgQuery, source: string): number[] {
  let statements: { stmt_location?: number }[];
  try {
    statements = (pg.parseSync(source).stmts ?? []) as { stmt_location?: number }[];
  } catch {
    return [];
  }
  const lineStarts = lineStartsOf(source);
  return statements.map((statement) => {
    let at = byteOffsetToIndex(source, statement.stmt_location ?? 0);
    for (let moved = true; moved; ) {
      const rest = source.slice(at);
      const skip = /^(?:\s+|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      moved = !!skip && skip[0].length > 0;
      if (skip) at += skip[0].length;
    }
    return positionIn(lineStarts, at).line;
  });
}

/** Without a parse: every line with code starts a statement, so a comment binds to the code below it. */
function codeLines(source: string): number[] {
  return source.split('\n').flatMap((line, index) => (/^\s*(?:--.*)?$/.test(line) ? [] : [index + 1]));
}

function withoutStatementLine(defect: Located): FunctionDefect {
  const { statementLine: _statementLine, ...rest } = defect;
  return rest;
}
