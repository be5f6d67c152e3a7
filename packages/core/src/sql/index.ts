export * from './types.js';
export { byteOffsetToIndex, codePointOffsetToIndex, leadingComments, LineIndex } from './positions.js';
export { loadParser, parseSql, parseSqlMatching } from './parser.js';
export { nameList, relationsOf } from './relations.js';
export { forceQuoteIdent, quoteIdent, quoteLiteral } from './quote.js';
export { describeStatement } from './statement-kind.js';
export { walk } from './walk.js';
