export * from './types.js';
export { byteOffsetToIndex, codePointOffsetToIndex, leadingComments, LineIndex } from './positions.js';
export { loadParser, parseSql, parseSqlMatching } from './parser.js';
export { createdExtensions, mayCreateExtension, writtenExtensionNames, type CreatedExtension } from './extensions.js';
export { nameList, relationsOf } from './relations.js';
export { forceQuoteIdent, quoteIdent, quoteLiteral } from './quote.js';
export { describeStatement } from './statement-kind.js';
export { nodesUnder, walk, type VisitedNode } from './walk.js';
export { isNode, nodeOf, nodesOf, optionNamed, stringOf } from './nodes.js';
