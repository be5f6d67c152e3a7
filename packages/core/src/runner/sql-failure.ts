/**
 * Turns a Postgres error raised by migration SQL into one line that names the file and line.
 * DETAIL is left out for data and constraint errors (SQLSTATE classes 22 and 23): there it
 * echoes row values (`Key (email)=(...) already exists`), and this is a healthcare database.
 */

import { sqlErrorFields } from './errors.js';

export interface SqlFailure {
  code?: string;
  /** `file:line: message (detail) hint: ...` */
  message: string;
  /** 1-based file line, when the server reported a position. */
  line?: number;
}

/**
 * @param sent the SQL text that was sent (the body, or one statement)
 * @param firstLine file line on which `sent` starts
 */
export function describeSqlFailure(
  error: unknown,
  where: { relPath: string; sent: string; firstLine: number; /** Line to name when the server gives no position. */ fallbackLine?: number },
): SqlFailure {
  const fields = sqlErrorFields(error);
  const line = lineOfPosition(where.sent, fields.position, where.firstLine) ?? where.fallbackLine;
  const location = line === undefined ? where.relPath : `${where.relPath}:${line}`;
  let message = `${location}: ${fields.message}`;
  const mayHoldRowData = fields.code?.startsWith('22') || fields.code?.startsWith('23');
  if (fields.detail && !mayHoldRowData) message += ` (${fields.detail})`;
  if (fields.hint) message += ` hint: ${fields.hint}`;
  return { code: fields.code, message, line };
}

/** Postgres positions count characters (code points) from 1. */
function lineOfPosition(sent: string, position: string | undefined, firstLine: number): number | undefined {
  const pos = Number(position);
  if (!Number.isInteger(pos) || pos < 1) return undefined;
  let line = firstLine;
  let count = 0;
  for (const ch of sent) {
    count++;
    if (count >= pos) break;
    if (ch === '\n') line++;
  }
  return line;
}
