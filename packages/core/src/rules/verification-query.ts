import { iterateLines } from '../migration/lines.js';
import { parseSql } from '../sql/index.js';
import type { RangeVar } from 'libpg-query';
import type { SourceRange, SqlStatement } from '../sql/types.js';
import { nodeOf, nodesOf } from '../sql/nodes.js';
import { tablesCreatedBefore } from './support/history-tables.js';
import { relationKey } from './support/names.js';
import { alterCommands } from './support/statements.js';
import { defineRule } from './types.js';

const WRITES: Record<'UpdateStmt' | 'InsertStmt' | 'DeleteStmt', string> = { UpdateStmt: 'UPDATE', InsertStmt: 'INSERT INTO', DeleteStmt: 'DELETE FROM' };
const COMMAND_WORDS: Record<string, string> = { UpdateStmt: 'UPDATE', InsertStmt: 'INSERT', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };
const DATA_MODIFYING = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

function relationName(rangeVar: RangeVar | undefined): string {
  const parts = [rangeVar?.schemaname, rangeVar?.relname].filter((part): part is string => !!part);
  if (parts.length > 1 && parts[0] === 'public') parts.shift();
  return parts.join('.');
}

interface Reason {
  statement: SqlStatement;
  what: string;
  /** A VERIFY query that would fit, for the hint. */
  example: string;
}

/** Why this statement deserves a verification query: it writes data or adds columns/constraints to an existing table. */
function reasonsOf(statement: SqlStatement, createdTables: ReadonlySet<string>): Reason[] {
  const { kind, node } = statement;
  if (kind === 'UpdateStmt' || kind === 'InsertStmt' || kind === 'DeleteStmt') {
    const write = WRITES[kind];
    const table = relationName(node.relation);
    const example =
      kind === 'InsertStmt'
        ? `SELECT count(*) > 0 FROM ${table} WHERE <the inserted rows>`
        : kind === 'UpdateStmt'
          ? `SELECT count(*) = 0 FROM ${table} WHERE <rows still to fix>`
          : `SELECT count(*) = 0 FROM ${table} WHERE <rows that had to go>`;
    return [{ statement, what: `${write} ${table}`, example }];
  }
  if (kind !== 'AlterTableStmt' || node.objtype !== 'OBJECT_TABLE') return [];
  const table = relationName(node.relation);
  if (createdTables.has(table)) return [];
  const reasons: Reason[] = [];
  for (const cmd of alterCommands(node)) {
    if (cmd.subtype === 'AT_AddColumn') {
      const column = nodeOf(cmd.def, 'ColumnDef')?.colname;
      reasons.push({
        statement,
        what: `ADD COLUMN ${table}.${column}`,
        example: `SELECT count(*) = 1 FROM information_schema.columns WHERE table_name = '${table.split('.').at(-1)}' AND column_name = '${column}'`,
      });
    } else if (cmd.subtype === 'AT_AddConstraint') {
      const name = nodeOf(cmd.def, 'Constraint')?.conname;
      reasons.push({
        statement,
        what: `ADD CONSTRAINT ${name ?? '(unnamed)'} ON ${table}`,
        example: name
          ? `SELECT count(*) = 1 FROM pg_constraint WHERE conname = '${name}' AND convalidated`
          : `SELECT count(*) > 0 FROM pg_constraint WHERE conrelid = '${table}'::regclass`,
      });
    } else if (cmd.subtype === 'AT_SetNotNull') {
      reasons.push({
        statement,
        what: `SET NOT NULL on ${table}.${cmd.name}`,
        example: `SELECT count(*) = 0 FROM ${table} WHERE ${cmd.name} IS NULL`,
      });
    }
  }
  return reasons;
}

/** Why a parsed VERIFY query is not a single plain SELECT; undefined when it is one. */
function notASelect(statements: readonly SqlStatement[]): string | undefined {
  if (statements.length === 0) return 'holds no SQL statement';
  if (statements.length > 1) return `holds ${statements.length} statements`;
  const [statement] = statements as [SqlStatement];
  if (statement.kind !== 'SelectStmt') {
    const word = COMMAND_WORDS[statement.kind] ?? statement.text.trim().split(/\s+/)[0]!.toUpperCase();
    return `is ${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word} statement`;
  }
  if (statement.node.intoClause) return 'is a SELECT INTO, which creates a table';
  if (statement.node.lockingClause) return 'locks rows (FOR UPDATE/SHARE)';
  const ctes = nodesOf(statement.node.withClause?.ctes, 'CommonTableExpr');
  const modifying = ctes.find((cte) => Object.keys(cte.ctequery ?? {}).some((key) => DATA_MODIFYING.has(key)));
  if (modifying) return `modifies data in its WITH clause (${modifying.ctename})`;
  return undefined;
}

/** A plain SELECT written under a comment that says it verifies (`-- Verification Query`, `-- verify the backfill`). */
function isVerificationSelect(statement: SqlStatement): boolean {
  return statement.kind === 'SelectStmt' && !statement.node.intoClause && statement.leadingComments.some((comment) => /\bverif/i.test(comment.text));
}

/**
 * A DO block that checks a condition and fails the migration when it does not hold:
 * `IF ... THEN RAISE EXCEPTION ...` (RAISE without a level raises an exception too) or ASSERT.
 */
function isCheckingDoBlock(statement: SqlStatement): boolean {
  if (statement.kind !== 'DoStmt') return false;
  const code = statement.text.replace(/--[^\n]*/g, ' ');
  const raises = /\bRAISE\s+(?:EXCEPTION\b|'|SQLSTATE\b|USING\b)/i.test(code);
  return (raises && /\bIF\b/i.test(code)) || /\bASSERT\b/i.test(code);
}

export const rule = defineRule({
  id: 'verification-query',
  category: 'convention',
  defaultSeverity: 'info',
  description:
    'A migration that writes data or adds columns/constraints carries a verification ("-- VERIFY:" query, the template\'s Verification Query section, or a DO block that checks and raises); a VERIFY query is a single SELECT.',
  check(context) {
    const { migration } = context;
    const verifications = migration.verifications ?? (migration.verification ? [migration.verification] : []);

    if (verifications.length > 0) {
      const lines = new Map<number, { text: string; start: number }>();
      const wanted = new Set(verifications.map((verification) => verification.line));
      for (const line of iterateLines(migration.text)) {
        if (wanted.has(line.number)) lines.set(line.number, line);
        if (lines.size === wanted.size) break; // not the rest of the file
      }

      for (const verification of verifications) {
        const line = lines.get(verification.line);
        const column = line ? Math.max(0, line.text.indexOf('VERIFY:')) : 0;
        const range: SourceRange | undefined = line && {
          start: { line: verification.line, column: column + 1, offset: line.start + column },
          end: { line: verification.line, column: line.text.length + 1, offset: line.start + line.text.length },
        };
        const parsed = parseSql(verification.sql);
        const error = parsed.errors[0];
        if (error) {
          context.report({
            severity: 'error',
            range,
            message: `VERIFY query does not parse: ${error.message}${verification.sql.includes('\n') ? ` (line ${error.range.start.line} of the query)` : ''}`,
            hint: error.hint ?? 'fix the query so that Postgres can parse it; try it in psql first',
          });
          continue;
        }
        const problem = notASelect(parsed.statements);
        if (problem) {
          context.report({
            severity: 'error',
            range,
            message: `VERIFY query ${problem}: it must be a single read-only SELECT`,
            hint: 'write one SELECT whose first column is true when the migration did its job, e.g. "-- VERIFY: SELECT count(*) = 0 FROM documents WHERE processing_time_minutes IS NULL"; move other statements into the migration SQL',
          });
        }
      }
      return;
    }

    // A CREATE TABLE IF NOT EXISTS of a table an earlier migration created is a no-op: that table is not new.
    const earlier = tablesCreatedBefore(context);
    const createdTables = new Set(
      context.sql.statements.flatMap((statement) =>
        statement.kind === 'CreateStmt' && !(statement.node.if_not_exists && earlier.has(relationKey(statement.node.relation))) ? [relationName(statement.node.relation)] : [],
      ),
    );
    // Statements that run with the migration: top level and DO blocks, not function bodies (those run when called).
    const statements = [...context.sql.statements, ...context.sql.nested.filter((statement) => statement.parent?.kind !== 'CreateFunctionStmt')].sort(
      (a, b) => a.range.start.offset - b.range.start.offset,
    );
    const reasons = statements.flatMap((statement) => reasonsOf(statement, createdTables));
    if (reasons.length === 0) return;
    // The template's "-- Verification Query" section, a SELECT under such a comment, or a DO block that checks and raises.
    if (migration.verificationSection) return;
    if (context.sql.statements.some((statement) => isVerificationSelect(statement) || isCheckingDoBlock(statement))) return;

    const first = reasons[0]!;
    const shown = reasons.slice(0, 3).map((reason) => reason.what);
    const more = reasons.length > shown.length ? ` and ${reasons.length - shown.length} more` : '';
    context.report({
      statement: first.statement,
      message: `no verification query, but this migration runs ${shown.join(', ')}${more}`,
      hint: `add a machine-readable check after the SQL, e.g. "-- VERIFY: ${first.example};": one SELECT whose first column is true when the migration did its job; the runner runs it after the migration (a "-- Verification Query" section with a commented SELECT, or a DO block that RAISEs EXCEPTION when the check fails, count too)`,
    });
  },
});
