import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'transaction-control';

const migration = (sql: string, extra?: string) => `${header({ extra })}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const ADD_COLUMN = 'ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;\n';

describe('transaction-control', () => {
  it('reports BEGIN and COMMIT wrapped around the migration, each at its own line', async () => {
    const text = migration(`BEGIN;\n${ADD_COLUMN}COMMIT;\n`);
    const findings = await runRule(RULE, text);
    expect(findings.map(({ rule, severity, line, column, endLine, endColumn, message }) => ({ rule, severity, line, column, endLine, endColumn, message }))).toEqual([
      {
        rule: RULE,
        severity: 'error',
        ...at(text, 'BEGIN;'),
        endLine: at(text, 'BEGIN;').line,
        endColumn: 6,
        message: 'BEGIN at top level: pgwarden already runs each migration in one transaction',
      },
      {
        rule: RULE,
        severity: 'error',
        ...at(text, 'COMMIT;'),
        endLine: at(text, 'COMMIT;').line,
        endColumn: 7,
        message: 'COMMIT at top level: pgwarden already runs each migration in one transaction',
      },
    ]);
    expect(findings[0].hint).toContain('-- pgwarden:no-transaction');
  });

  it('reports the other spellings: START TRANSACTION, END, ROLLBACK, ABORT, each with what migrate does about it', async () => {
    const text = migration(`START TRANSACTION ISOLATION LEVEL SERIALIZABLE;\n${ADD_COLUMN}END;\nrollback;\nABORT;\n`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message.split(/ at top level| with | would /)[0]])).toEqual([
      [at(text, 'START').line, 'START TRANSACTION'],
      [at(text, 'END;').line, 'END'],
      [at(text, 'rollback;').line, 'ROLLBACK'],
      [at(text, 'ABORT;').line, 'ABORT'],
    ]);
    expect(findings[2].hint).toBe('migrate refuses this file, before running any of it, until this is fixed');
  });

  it('says which transaction commands migrate refuses: a COMMIT of its own, a second BEGIN, a savepoint the file did not open', async () => {
    const text = migration(`${ADD_COLUMN}COMMIT;\nBEGIN;\nRELEASE SAVEPOINT outer_one;\nCOMMIT;\nBEGIN;\nCOMMIT;\n`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => `${finding.line}: ${finding.message.split(':')[0]}`)).toEqual([
      `${at(text, 'COMMIT;').line}: COMMIT without a BEGIN before it would commit pgwarden's transaction early, so the statements before it and the history row would no longer be one unit`,
      `${at(text, 'BEGIN;').line}: BEGIN at top level`,
      `${at(text, 'RELEASE').line}: RELEASE SAVEPOINT outer_one names a savepoint the file did not open before it`,
      `${at(text, 'RELEASE').line + 1}: COMMIT at top level`,
      `${at(text, 'RELEASE').line + 2}: a second BEGIN`,
      `${at(text, 'RELEASE').line + 3}: a second COMMIT`,
    ]);
  });

  it('accepts a migration without transaction control, savepoints, and PL/pgSQL BEGIN ... END blocks', async () => {
    const text = migration(`${ADD_COLUMN}SAVEPOINT before_backfill;
DO $$
BEGIN
  UPDATE public.documents SET processing_time_minutes = 0 WHERE processing_time_minutes IS NULL;
END $$;
RELEASE SAVEPOINT before_backfill;
CREATE OR REPLACE FUNCTION public.touch_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('tells a no-transaction file that the runner uses autocommit', async () => {
    const text = migration(
      'BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS documents_status_idx ON public.documents (status);\nCOMMIT;\n',
      '-- pgwarden:no-transaction\n',
    );
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(2);
    expect(findings[0].hint).toBe('remove it: a "-- pgwarden:no-transaction" file runs statement by statement in autocommit');
  });

  it('is silenced by a statement-level ignore with a reason', async () => {
    const text = migration(`-- pgwarden-ignore transaction-control -- applied by hand through psql during the incident
BEGIN;
${ADD_COLUMN}`);
    expect(await runRule(RULE, text)).toEqual([]);
  });
});
