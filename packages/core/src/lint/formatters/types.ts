import type { Finding } from '../../rules/types.js';

export interface FormatContext {
  /** Text of a linted file by its relative path, for code frames; undefined when unreadable. */
  source(file: string): string | undefined;
  color: boolean;
  filesLinted: number;
  toolVersion: string;
}

export type Formatter = (findings: readonly Finding[], context: FormatContext) => string;
