import { describe, expect, it } from 'vitest';
import type { Finding } from '../../rules/types.js';
import { FORMATTERS } from './index.js';
import { json } from './json.js';
import type { FormatContext } from './types.js';

const context: FormatContext = { source: () => undefined, color: true, filesLinted: 2, toolVersion: '0.1.0' };

const WITH_HINT: Finding = {
  file: 'migration_history/2025-01-01_01_add_visit_note.sql',
  line: 21,
  column: 3,
  endLine: 22,
  endColumn: 9,
  rule: 'idempotent-create',
  severity: 'warning',
  message: 'CREATE TABLE public.visits without IF NOT EXISTS',
  hint: 'write CREATE TABLE IF NOT EXISTS',
};

describe('json', () => {
  it('an array of objects with exactly these keys, in this order, 1-based positions as given', () => {
    const parsed = JSON.parse(json([WITH_HINT], context)) as Record<string, unknown>[];
    expect(parsed).toHaveLength(1);
    expect(Object.keys(parsed[0]!)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'hint', 'suggestion']);
    expect(parsed[0]).toEqual({ ...WITH_HINT, suggestion: null });
  });

  it('hint is null when absent (never missing), and extra properties of a finding do not leak', () => {
    const { hint: _hint, ...withoutHint } = WITH_HINT;
    const extra = { ...withoutHint, severity: 'info' as const, internal: 'x' } as Finding;
    const [parsed] = JSON.parse(json([extra], context)) as Record<string, unknown>[];
    expect(parsed).toEqual({ ...withoutHint, severity: 'info', hint: null, suggestion: null });
    expect(Object.keys(parsed!)).toHaveLength(10);
  });

  it('a shadow root cause carries the statements counted under it as `counted`; a lint finding has no such key', () => {
    const rootCause = {
      ...WITH_HINT,
      file: 'current_schema/01_broken.sql',
      rule: 'shadow-statement-failed',
      statements: [
        { file: 'current_schema/01_broken.sql', line: 7, column: 1 },
        { file: 'current_schema/02_more.sql', line: 3, column: 5 },
      ],
      workedAround: false,
    } as Finding;
    const [shadow, lint] = JSON.parse(json([rootCause, WITH_HINT], context)) as Record<string, unknown>[];
    expect(shadow!.counted).toEqual([
      { file: 'current_schema/01_broken.sql', line: 7, column: 1 },
      { file: 'current_schema/02_more.sql', line: 3, column: 5 },
    ]);
    expect(Object.keys(shadow!).at(-1)).toBe('counted');
    expect(lint).not.toHaveProperty('counted');
    // A root cause with nothing counted under it says so (an empty list), rather than leaving the key out.
    const [alone] = JSON.parse(json([{ ...rootCause, statements: [] } as Finding], context)) as Record<string, unknown>[];
    expect(alone!.counted).toEqual([]);
  });

  it('carries a structured suggestion', () => {
    const withSuggestion: Finding = { ...WITH_HINT, suggestion: { sql: 'CREATE TABLE IF NOT EXISTS public.visits (id int)' } };
    const [parsed] = JSON.parse(json([withSuggestion], context)) as Record<string, unknown>[];
    expect(parsed!.suggestion).toEqual({ sql: 'CREATE TABLE IF NOT EXISTS public.visits (id int)' });
  });

  it('keeps the order of the findings; no findings is an empty array; output ends with a newline and is plain (no color)', () => {
    const second = { ...WITH_HINT, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error' as const };
    const out = json([WITH_HINT, second], context);
    expect((JSON.parse(out) as Finding[]).map((f) => f.line)).toEqual([21, 1]);
    expect(out.endsWith('}\n]\n')).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/\u001b/);
    expect(json([], context)).toBe('[]\n');
  });

  it('non-ASCII and control characters survive a round trip', () => {
    const message = 'patient "Zoë" → 患者\n\tline two';
    const [parsed] = JSON.parse(json([{ ...WITH_HINT, message }], context)) as Finding[];
    expect(parsed!.message).toBe(message);
  });

  it('is registered with the other formatters', () => {
    expect(Object.keys(FORMATTERS).sort()).toEqual(['github', 'json', 'sarif', 'stylish']);
    expect(FORMATTERS.json).toBe(json);
  });
});
