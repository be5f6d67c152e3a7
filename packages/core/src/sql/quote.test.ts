import { describe, expect, it } from 'vitest';
import { forceQuoteIdent, quoteIdent, quoteLiteral } from './quote.js';

describe('quoteIdent', () => {
  it('quotes identifiers only when needed', () => {
    expect(quoteIdent('documents')).toBe('documents');
    expect(quoteIdent('doc_2$')).toBe('doc_2$');
    expect(quoteIdent('Documents')).toBe('"Documents"');
    expect(quoteIdent('user')).toBe('"user"');
    expect(quoteIdent('2fa')).toBe('"2fa"');
    expect(quoteIdent('my "x"')).toBe('"my ""x"""');
  });

  it('forceQuoteIdent always quotes', () => {
    expect(forceQuoteIdent('p')).toBe('"p"');
    expect(forceQuoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('quoteLiteral', () => {
  it('doubles single quotes', () => {
    expect(quoteLiteral('plain')).toBe("'plain'");
    expect(quoteLiteral("o'brien")).toBe("'o''brien'");
    expect(quoteLiteral('')).toBe("''");
  });

  it('doubles backslashes and adds the E prefix when there is one', () => {
    expect(quoteLiteral('back\\slash')).toBe("E'back\\\\slash'");
    expect(quoteLiteral("both \\' quote")).toBe("E'both \\\\'' quote'");
  });

  it('leaves other characters alone', () => {
    expect(quoteLiteral('new\nline → é $$x$$')).toBe("'new\nline → é $$x$$'");
  });
});
