import { describe, expect, it } from 'vitest';
import type { Finding } from '../../rules/types.js';
import { github } from './github.js';
import type { FormatContext } from './types.js';

const context: FormatContext = { source: () => undefined, color: true, filesLinted: 1, toolVersion: '0.1.0' };

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    file: 'migration_history/2025-01-01_01_add_visit_note.sql',
    line: 21,
    column: 3,
    endLine: 21,
    endColumn: 9,
    rule: 'transaction-control',
    severity: 'error',
    message: 'BEGIN at top level',
    ...overrides,
  };
}

describe('github', () => {
  it('one workflow command per finding with file, positions and title', () => {
    expect(github([finding()], context)).toBe(
      '::error file=migration_history/2025-01-01_01_add_visit_note.sql,line=21,col=3,endLine=21,endColumn=9,title=pgwarden(transaction-control)::BEGIN at top level\n',
    );
  });

  it('maps severities: error -> error, warning -> warning, info -> notice', () => {
    const out = github([finding(), finding({ severity: 'warning' }), finding({ severity: 'info' })], context);
    expect(out.split('\n').map((line) => line.split(' ')[0])).toEqual(['::error', '::warning', '::notice', '']);
  });

  it('escapes %, CR and LF in the message (data), but not : or ,', () => {
    const out = github([finding({ message: '100% done: a, b\r\nnext line' })], context);
    expect(out).toBe(
      '::error file=migration_history/2025-01-01_01_add_visit_note.sql,line=21,col=3,endLine=21,endColumn=9,title=pgwarden(transaction-control)::100%25 done: a, b%0D%0Anext line\n',
    );
  });

  it('escapes %, CR, LF, : and , in properties (file and title)', () => {
    const out = github([finding({ file: 'odd/a:b,c%d\ne.sql', rule: 'x:y,z' })], context);
    expect(out.startsWith('::error file=odd/a%3Ab%2Cc%25d%0Ae.sql,line=21,')).toBe(true);
    expect(out).toContain(',title=pgwarden(x%3Ay%2Cz)::');
  });

  it('escapes % before the other sequences (no double escaping)', () => {
    const out = github([finding({ message: '%0A literal', file: '%3A.sql' })], context);
    expect(out).toContain('file=%253A.sql,');
    expect(out.endsWith('::%250A literal\n')).toBe(true);
  });

  it('appends the hint to the message on its own (escaped) line', () => {
    const out = github([finding({ hint: 'remove BEGIN; the runner: owns it' })], context);
    expect(out.endsWith('::BEGIN at top level%0AFix: remove BEGIN; the runner: owns it\n')).toBe(true);
  });

  it('one line per finding and nothing for no findings', () => {
    const out = github([finding({ message: 'a\nb' }), finding({ message: 'c' })], context);
    expect(out.split('\n')).toHaveLength(3);
    expect(github([], context)).toBe('');
  });
});
