import type { ObjectKind } from '../catalog/identity.js';
import type { SourceMapEntry } from './types.js';

/** Where an object is defined, by identity key (and kind, when a key names two objects, e.g. a column and a policy). */
export function findSource(sourceMap: readonly SourceMapEntry[], key: string, kind?: ObjectKind): SourceMapEntry | undefined {
  return sourceMap.find((entry) => entry.key === key && (kind === undefined || entry.kind === kind));
}

/** The file line of line `bodyLine` (1-based) inside a function's body. */
export function functionBodyFileLine(entry: SourceMapEntry, bodyLine: number): number | undefined {
  return entry.bodyLine === undefined ? undefined : entry.bodyLine + bodyLine - 1;
}
