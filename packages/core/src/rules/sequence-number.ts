import type { Migration } from '../migration/types.js';
import { defineRule } from './types.js';

interface SequenceIndex {
  /** Numbered files by date. */
  dates: string[];
  /** Highest number among the files before index i (by date). */
  highestBefore: number[];
  /** Lowest number among the files from index i on (by date). */
  lowestFrom: number[];
  /** How many files use each number. */
  uses: Map<number, number>;
  paths: Set<string>;
}

const indexes = new WeakMap<readonly Migration[], SequenceIndex>();

/** Built once per history, so that checking a file that is in order costs a binary search, not a walk over the history. */
function sequenceIndex(history: readonly Migration[]): SequenceIndex {
  let index = indexes.get(history);
  if (!index) {
    const numbered = history
      .filter((other) => other.name.sequence !== undefined && other.name.date !== undefined)
      .sort((a, b) => (a.name.date! < b.name.date! ? -1 : a.name.date! > b.name.date! ? 1 : 0));
    const highestBefore = [-1];
    for (const other of numbered) highestBefore.push(Math.max(highestBefore.at(-1)!, other.name.sequence!));
    const lowestFrom = new Array<number>(numbered.length + 1).fill(Infinity);
    for (let i = numbered.length - 1; i >= 0; i--) lowestFrom[i] = Math.min(lowestFrom[i + 1]!, numbered[i]!.name.sequence!);
    const uses = new Map<number, number>();
    for (const other of numbered) uses.set(other.name.sequence!, (uses.get(other.name.sequence!) ?? 0) + 1);
    index = { dates: numbered.map((other) => other.name.date!), highestBefore, lowestFrom, uses, paths: new Set(numbered.map((other) => other.relPath)) };
    indexes.set(history, index);
  }
  return index;
}

/** The first index whose date is not before `date` (`after`: not at or before it). */
function dateBound(dates: readonly string[], date: string, after: boolean): number {
  let low = 0;
  let high = dates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (dates[middle]! < date || (after && dates[middle] === date)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** True when the file's number is unique and lies above every earlier-dated file's and below every later-dated one's. */
function fitsInOrder(history: readonly Migration[], migration: Migration): boolean {
  const { sequence, date } = migration.name;
  const index = sequenceIndex(history);
  const ownUse = index.paths.has(migration.relPath) ? 1 : 0;
  if ((index.uses.get(sequence!) ?? 0) - ownUse > 0) return false;
  return index.highestBefore[dateBound(index.dates, date!, false)]! < sequence! && index.lowestFrom[dateBound(index.dates, date!, true)]! > sequence!;
}

const LISTED = 3;

function pad(sequence: number): string {
  return String(sequence).padStart(2, '0');
}

function listFiles(files: readonly Migration[]): string {
  const shown = files.slice(0, LISTED).map((file) => file.relPath);
  const more = files.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

export const rule = defineRule({
  id: 'sequence-number',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'The NN of YYYY-MM-DD_NN_name.sql is unique across the whole history and increases with the dates.',
  check(context) {
    const { migration } = context;
    const { sequence, date } = migration.name;
    // file-name reports names that do not follow the pattern.
    if (sequence === undefined || date === undefined) return;
    if (fitsInOrder(context.history, migration)) return;

    const others = context.history.filter(
      (other) => other.relPath !== migration.relPath && other.name.sequence !== undefined && other.name.date !== undefined,
    );
    const used = new Set(others.map((other) => other.name.sequence!));
    const highest = Math.max(sequence, ...used);

    // The numbers this file may take: above every earlier-dated file, below every later-dated one.
    let above = -1;
    let below = Infinity;
    for (const other of others) {
      if (other.name.date! < date) above = Math.max(above, other.name.sequence!);
      else if (other.name.date! > date) below = Math.min(below, other.name.sequence!);
    }
    let fitting: number | undefined;
    for (let candidate = above + 1; candidate < below && candidate <= highest + 1; candidate++) {
      if (!used.has(candidate)) {
        fitting = candidate;
        break;
      }
    }
    const hint =
      fitting !== undefined
        ? `renumber this file to ${pad(fitting)} (${date}_${pad(fitting)}_${migration.name.slug ?? 'name'}.sql): free and in date order; "pgwarden new <slug>" picks the next number for new files`
        : `no free number fits between the files dated before and after ${date}: renumber the files in order or correct the date; "pgwarden new <slug>" picks the next number for new files`;

    const duplicates = others.filter((other) => other.name.sequence === sequence);
    if (duplicates.length > 0) {
      context.report({
        message: `sequence number ${pad(sequence)} is also used by ${listFiles(duplicates)}: NN is a running number across the whole history, not a per-day counter`,
        hint,
      });
    }

    const earlierButHigher = others
      .filter((other) => other.name.date! < date && other.name.sequence! > sequence)
      .sort((a, b) => b.name.sequence! - a.name.sequence!);
    const laterButLower = others
      .filter((other) => other.name.date! > date && other.name.sequence! < sequence)
      .sort((a, b) => a.name.sequence! - b.name.sequence!);
    if (earlierButHigher.length === 0 && laterButLower.length === 0) return;

    const parts: string[] = [];
    if (earlierButHigher.length > 0) {
      const first = earlierButHigher[0]!;
      parts.push(
        `${listFiles(earlierButHigher)} ${earlierButHigher.length === 1 ? 'is' : 'are'} dated before ${date} but numbered higher (${pad(first.name.sequence!)} on ${first.name.date})`,
      );
    }
    if (laterButLower.length > 0) {
      const first = laterButLower[0]!;
      parts.push(
        `${listFiles(laterButLower)} ${laterButLower.length === 1 ? 'is' : 'are'} dated after ${date} but numbered lower (${pad(first.name.sequence!)} on ${first.name.date})`,
      );
    }
    context.report({
      message: `sequence number ${pad(sequence)} is out of date order: ${parts.join('; ')}`,
      hint,
    });
  },
});
