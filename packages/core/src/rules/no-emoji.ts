import { defineRule } from './types.js';
import { LineIndex } from '../sql/index.js';

// Extended_Pictographic covers emoji proper (the check/cross marks people paste, U+2705, U+2714, U+274C, are in it),
// except a few text symbols that are emoji only with the emoji variation selector U+FE0F: (c), (r), TM, the
// double exclamation marks, the information sign and the arrows U+2194-2199, U+21A9-21AA.
// One emoji is one match: a pictograph with its variation selector, skin tone and keycap marks, ZWJ sequences
// (a health worker is man + ZWJ + staff of Aesculapius + U+FE0F), flags (two regional indicators), keycaps.
const TEXT_SYMBOLS = '\\u00A9\\u00AE\\u203C\\u2049\\u2122\\u2139\\u2194-\\u2199\\u21A9\\u21AA';
const PICTOGRAPH = `(?:(?![${TEXT_SYMBOLS}])\\p{Extended_Pictographic}|[${TEXT_SYMBOLS}]\\uFE0F|\\p{Regional_Indicator}{1,2})`;
const MODIFIERS = '(?:\\uFE0F|\\u20E3|[\\u{1F3FB}-\\u{1F3FF}])*';
const EMOJI = new RegExp(`[0-9#*]\\uFE0F?\\u20E3|${PICTOGRAPH}${MODIFIERS}(?:\\u200D${PICTOGRAPH}${MODIFIERS})*|\\uFE0F`, 'gu');

export const rule = defineRule({
  id: 'no-emoji',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'Migration files never contain emojis.',
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
});
