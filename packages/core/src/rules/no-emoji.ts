import type { Rule } from './types.js';
import { LineIndex } from '../sql/index.js';

// Extended_Pictographic covers emoji proper; the symbols below are the check/cross marks people paste.
const EMOJI = /\p{Extended_Pictographic}|[\u2705\u2714\u2716\u274C\u274E\u2B50\uFE0F]/gu;

export const rule: Rule = {
  meta: {
    id: 'no-emoji',
    category: 'convention',
    defaultSeverity: 'error',
    description: 'Migration files never contain emojis.',
    docs: 'docs/rules/no-emoji.md',
  },
  check(context) {
    const { text } = context.migration;
    let index: LineIndex | undefined;
    for (const match of text.matchAll(EMOJI)) {
      index ??= new LineIndex(text);
      const start = index.positionAt(match.index);
      const end = index.positionAt(match.index + match[0].length);
      const codePoint = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      context.report({
        message: `emoji U+${codePoint} in a migration file`,
        range: { start, end },
        hint: 'write it in words: [X] for done, "OK", "->" for arrows',
      });
    }
  },
};
