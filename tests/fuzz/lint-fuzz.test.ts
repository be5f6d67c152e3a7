/*
 * pgwarden never crashes or hangs on bad input.
 *
 * Thousands of inputs derived, with a seeded PRNG, from the real demo migrations (mutated,
 * truncated, concatenated, shuffled, re-encoded) plus random bytes, invalid UTF-8, empty and
 * whitespace-only files, a directory named x.sql, a dangling symlink, odd file names, and
 * in-memory texts with lone surrogates and NUL characters. The bulk runs in-process through the
 * built engine (packages/core/dist) in a worker thread, so a hang is caught by a watchdog and
 * attributed to its input; a few dozen run through the real CLI binary with a timeout, the 10 MB
 * file included.
 *
 * For every input: no exception, no crash, no hang; every finding names the input's file, has
 * line/column >= 1, endLine >= line, a known rule id, a severity and a message; no finding is an
 * "internal error in rule ..." (a rule bug). Oracles on top of that:
 *   - bytes that are not UTF-8 text (NUL, invalid UTF-8, a directory, a missing file) -> a
 *     readable-file error;
 *   - SQL that the real parser (libpg-query, called directly) rejects -> a syntax or
 *     psql-meta-command error: pgwarden never hides a syntax error;
 *   - an LF file and the same file with CRLF give the same findings at the same positions.
 *
 * PGWARDEN_FUZZ_SEED=<n> explores another seed; PGWARDEN_FUZZ_KEEP=1 keeps the temp folder;
 * PGWARDEN_FUZZ_CORE_DIST=<dir> runs the in-process part against another build of core (e.g. one
 * with a rule made to throw or loop, to see the harness catch it).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadModule, parseSync } from 'libpg-query';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeText, dollarQuoteCuts, headerEnd, injectInvalidUtf8, mutate, openParenCuts, randomChar, Rng, TOKENS } from '../support/fuzz.js';

const WORKSPACE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORE_DIST = pathToFileURL((process.env.PGWARDEN_FUZZ_CORE_DIST ?? join(WORKSPACE, 'packages', 'core', 'dist')) + '/');
const CLI = join(WORKSPACE, 'packages', 'cli', 'dist', 'bin.cjs');
const SEED = Number(process.env.PGWARDEN_FUZZ_SEED ?? 0x5eed2025);
const MAX_SOURCE_BYTES = 5 * 1024 * 1024;
const BATCH_SIZE = 40;
/** Watchdogs: a batch of 40 files normally takes well under a second. */
const BATCH_TIMEOUT_MS = 30_000;
const CASE_TIMEOUT_MS = 15_000;
const CLI_TIMEOUT_MS = 30_000;

interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  hint?: string;
}

interface FuzzCase {
  id: number;
  kind: string;
  /** How it was made: sources and operators, for a reproducer. */
  origin: string;
  /** Path under migration_history/ (may include a sub-folder). */
  name: string;
  bytes?: Buffer;
  special?: 'dir' | 'dir-with-file' | 'dangling-symlink';
  /** Clearly broken input: at least one error, of this rule when given. */
  mustError?: { rule?: string; why: string };
}

interface Violation {
  caseId: number;
  problem: string;
}

let RULE_IDS: ReadonlySet<string>;
let base: string;
let sources: Array<{ name: string; text: string }>;
let cases: FuzzCase[] = [];
let failed = false;
const violations: Violation[] = [];
const ruleBugs: Array<{ caseId: number; finding: Finding }> = [];
const stats = { inProcessFiles: 0, inMemory: 0, eolPairs: 0, cliRuns: 0, findings: 0, rawParseFailures: 0, batches: 0 };

// ---------------------------------------------------------------------------------------------
// The worker and its watchdog

class LintWorker {
  private worker?: Worker;
  private nextId = 0;
  restarts = 0;

  private async start(): Promise<Worker> {
    const worker = new Worker(new URL('../support/lint-worker.mjs', import.meta.url), { workerData: { coreDist: CORE_DIST.href } });
    await new Promise<void>((resolvePromise, reject) => {
      worker.once('message', () => resolvePromise());
      worker.once('error', reject);
    });
    this.worker = worker;
    return worker;
  }

  /** Sends one request; `hung` when no answer came within the time bound (the worker is then replaced). */
  async run(request: Record<string, unknown>, timeoutMs: number): Promise<{ findings?: Finding[]; error?: string; hung?: boolean }> {
    const worker = this.worker ?? (await this.start());
    const id = ++this.nextId;
    return new Promise((resolvePromise) => {
      const timer = setTimeout(() => {
        worker.removeAllListeners('message');
        worker.removeAllListeners('error');
        void worker.terminate();
        this.worker = undefined;
        this.restarts++;
        resolvePromise({ hung: true });
      }, timeoutMs);
      const onMessage = (reply: { id: number; findings?: Finding[]; error?: string }) => {
        if (reply.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolvePromise(reply);
      };
      const onError = (error: Error) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        this.worker = undefined;
        this.restarts++;
        resolvePromise({ error: `worker died: ${error.stack ?? error.message}` });
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ id, ...request });
    });
  }

  async stop() {
    await this.worker?.terminate();
  }
}

const pool = new LintWorker();

// ---------------------------------------------------------------------------------------------
// Oracles

function rawParseFails(text: string): boolean {
  try {
    parseSync(text.replace(/\0/g, ' '));
    return false;
  } catch {
    return true;
  }
}

function lineCount(text: string): number {
  // pgwarden's SQL positions count \n; its header and formatters also count a lone \r: allow either.
  const lf = text.split('\n').length;
  const any = text.split(/\r\n|\r|\n/).length;
  return Math.max(lf, any);
}

function describeCase(fuzzCase: FuzzCase | undefined): string {
  if (!fuzzCase) return '(unknown case)';
  return `#${fuzzCase.id} ${fuzzCase.kind} [${fuzzCase.origin}] migration_history/${fuzzCase.name}`;
}

function check(caseId: number, condition: boolean, problem: () => string) {
  if (!condition) violations.push({ caseId, problem: problem() });
}

/** Invariants of every finding, and the oracles of one input. */
function validate(fuzzCase: FuzzCase, relPath: string, findings: readonly Finding[], text: string | undefined) {
  const id = fuzzCase.id;
  for (const finding of findings) {
    stats.findings++;
    const show = () => JSON.stringify(finding);
    check(id, finding.file === relPath, () => `finding names ${finding.file}, not ${relPath}: ${show()}`);
    check(id, Number.isInteger(finding.line) && finding.line >= 1, () => `line < 1: ${show()}`);
    check(id, Number.isInteger(finding.column) && finding.column >= 1, () => `column < 1: ${show()}`);
    check(id, Number.isInteger(finding.endLine) && finding.endLine >= finding.line, () => `endLine < line: ${show()}`);
    check(
      id,
      Number.isInteger(finding.endColumn) && finding.endColumn >= 1 && (finding.endLine > finding.line || finding.endColumn >= finding.column),
      () => `endColumn before column: ${show()}`,
    );
    check(id, RULE_IDS.has(finding.rule), () => `unknown rule id: ${show()}`);
    check(id, ['error', 'warning', 'info'].includes(finding.severity), () => `bad severity: ${show()}`);
    check(id, typeof finding.message === 'string' && finding.message.trim().length > 0, () => `empty message: ${show()}`);
    // One line: stylish prints `file:line:col  severity  message  rule`, github annotations end at a newline.
    check(id, !/[\r\n]/.test(finding.message ?? ''), () => `message spans several lines: ${show()}`);
    if (text !== undefined) {
      const lines = lineCount(text);
      check(id, finding.endLine <= lines + 1, () => `endLine ${finding.endLine} past the end of a ${lines}-line file: ${show()}`);
    }
    if (/^internal error in rule/.test(finding.message)) ruleBugs.push({ caseId: id, finding });
  }

  const errors = findings.filter((finding) => finding.severity === 'error');
  if (fuzzCase.mustError) {
    const { rule, why } = fuzzCase.mustError;
    check(id, errors.some((finding) => !rule || finding.rule === rule), () => `${why}: expected an error${rule ? ` from ${rule}` : ''}, got ${JSON.stringify(findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.rule}`))}`);
    check(id, errors.some((finding) => finding.file === relPath && finding.line >= 1), () => `${why}: no error names the file and a line`);
  }
  if (fuzzCase.special || (fuzzCase.bytes && (text === undefined || fuzzCase.bytes.length > MAX_SOURCE_BYTES))) {
    check(id, errors.some((finding) => finding.rule === 'readable-file'), () => `not a readable text file, but no readable-file error: ${JSON.stringify(findings)}`);
  } else if (text !== undefined && text !== '' && rawParseFails(text)) {
    // (libpg-query refuses an empty string as "Query cannot be empty"; that is no syntax error.)
    stats.rawParseFailures++;
    check(
      id,
      errors.some((finding) => finding.rule === 'syntax' || finding.rule === 'psql-meta-command'),
      () => `libpg-query rejects this SQL but pgwarden reports no syntax or psql-meta-command error: ${JSON.stringify(findings.map((f) => `${f.line}:${f.column} ${f.rule}`))}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

function fileName(source: string, id: number, suffix = ''): string {
  return source.replace(/\.sql$/, `${suffix}_f${id}.sql`);
}

function generateCases(rng: Rng): FuzzCase[] {
  const out: FuzzCase[] = [];
  const add = (fuzzCase: Omit<FuzzCase, 'id'>) => out.push({ id: out.length, ...fuzzCase });
  const text = (source: { text: string }) => Buffer.from(source.text, 'utf8');

  for (const source of sources) {
    // Stacked random mutations.
    for (let index = 0; index < 55; index++) {
      const mutated = mutate(source.text, rng);
      add({ kind: 'mutation', origin: `${source.name} ${mutated.ops.join(',')}`, name: fileName(source.name, out.length), bytes: Buffer.from(mutated.text) });
    }
    // Truncations anywhere, inside the header, and in the middle of a statement.
    for (let index = 0; index < 12; index++) {
      const at = rng.int(source.text.length);
      add({ kind: 'truncate', origin: `${source.name} at ${at}`, name: fileName(source.name, out.length), bytes: Buffer.from(source.text.slice(0, at)) });
    }
    const header = headerEnd(source.text);
    for (let index = 0; index < 4 && header > 0; index++) {
      const at = rng.int(header);
      add({ kind: 'truncate-header', origin: `${source.name} at ${at}`, name: fileName(source.name, out.length), bytes: Buffer.from(source.text.slice(0, at)) });
    }
    const parens = openParenCuts(source.text);
    for (let index = 0; index < 5 && parens.length > 0; index++) {
      const at = rng.pick(parens);
      add({
        kind: 'truncate-mid-statement',
        origin: `${source.name} after "(" at ${at}`,
        name: fileName(source.name, out.length),
        bytes: Buffer.from(source.text.slice(0, at)),
        mustError: { rule: 'syntax', why: 'truncated after an open parenthesis' },
      });
    }
    const dollars = dollarQuoteCuts(source.text);
    for (let index = 0; index < 3 && dollars.length > 0; index++) {
      const at = rng.pick(dollars);
      add({
        kind: 'truncate-mid-dollar-quote',
        origin: `${source.name} inside $$ at ${at}`,
        name: fileName(source.name, out.length),
        bytes: Buffer.from(source.text.slice(0, at)),
        mustError: { rule: 'syntax', why: 'truncated inside a dollar-quoted body' },
      });
    }
    // Shuffled lines: the whole file, and a window.
    for (let index = 0; index < 3; index++) {
      const lines = source.text.split('\n');
      add({ kind: 'shuffle-lines', origin: source.name, name: fileName(source.name, out.length), bytes: Buffer.from(rng.shuffle(lines).join('\n')) });
      const window = source.text.split('\n');
      const start = rng.int(window.length);
      const part = rng.shuffle(window.slice(start, start + rng.range(2, 12)));
      window.splice(start, part.length, ...part);
      add({ kind: 'shuffle-window', origin: `${source.name} from line ${start + 1}`, name: fileName(source.name, out.length), bytes: Buffer.from(window.join('\n')) });
    }
    // Line endings and encodings.
    const variants: Array<[string, Buffer]> = [
      ['crlf', Buffer.from(source.text.replace(/\n/g, '\r\n'))],
      ['cr-only', Buffer.from(source.text.replace(/\n/g, '\r'))],
      ['mixed-eol', Buffer.from(source.text.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r'])))],
      ['bom', Buffer.from(`\uFEFF${source.text}`)],
      ['bom-crlf', Buffer.from(`\uFEFF${source.text.replace(/\n/g, '\r\n')}`)],
      ['header-only', Buffer.from(source.text.slice(0, headerEnd(source.text)))],
      ['no-final-newline', Buffer.from(source.text.trimEnd())],
      ['tabs', Buffer.from(source.text.replace(/^ {2}/gm, '\t'))],
      ['latin1', Buffer.from(source.text.replace('-- Issue: ', '-- Issue: café '), 'latin1')],
      ['utf16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source.text, 'utf16le')])],
    ];
    for (const [kind, bytes] of variants) {
      const mustError =
        kind === 'latin1' || kind === 'utf16le' ? { rule: 'readable-file', why: `${kind} encoded` } : undefined;
      add({ kind, origin: source.name, name: fileName(source.name, out.length), bytes, ...(mustError ? { mustError } : {}) });
    }
    for (let index = 0; index < 3; index++) {
      add({
        kind: 'invalid-utf8',
        origin: source.name,
        name: fileName(source.name, out.length),
        bytes: injectInvalidUtf8(text(source), rng),
        mustError: { rule: 'readable-file', why: 'invalid UTF-8' },
      });
    }
  }

  // Two files glued together, or spliced.
  for (let index = 0; index < 120; index++) {
    const a = rng.pick(sources);
    const b = rng.pick(sources);
    const glue = rng.pick(['', '\n', '\n\n', ';\n', '\r\n']);
    const spliced = rng.chance(0.3);
    const textOut = spliced ? a.text.slice(0, rng.int(a.text.length)) + b.text.slice(rng.int(b.text.length)) : a.text + glue + b.text;
    add({ kind: spliced ? 'splice' : 'concat', origin: `${a.name} + ${b.name}`, name: fileName(a.name, out.length), bytes: Buffer.from(textOut) });
  }

  // Random bytes: anything, high bytes only, and ASCII noise with SQL tokens.
  for (let index = 0; index < 80; index++) {
    const length = rng.range(1, 4096);
    let bytes = rng.bytes(length);
    if (index % 3 === 1) bytes = Buffer.from(bytes.map((byte) => 0x80 | byte));
    add({ kind: 'random-bytes', origin: `${length} bytes`, name: `2025-11-01_50_random_bytes_f${out.length}.sql`, bytes, mustError: { why: 'random bytes' } });
  }
  for (let index = 0; index < 60; index++) {
    let noise = '';
    for (let count = rng.range(1, 200); count > 0; count--) noise += rng.chance(0.5) ? rng.pick(TOKENS) : randomChar(rng);
    add({ kind: 'token-noise', origin: `${noise.length} chars`, name: `2025-11-02_51_token_noise_f${out.length}.sql`, bytes: Buffer.from(noise), mustError: { why: 'no header' } });
  }
  for (let index = 0; index < 20; index++) {
    const source = rng.pick(sources);
    add({ kind: 'invalid-utf8-only', origin: 'bad sequence alone', name: fileName(source.name, out.length), bytes: injectInvalidUtf8(Buffer.alloc(0), rng), mustError: { rule: 'readable-file', why: 'invalid UTF-8' } });
  }

  // Special entries and odd names.
  const valid = sources[sources.length - 1]!;
  add({ kind: 'empty', origin: '0 bytes', name: '2025-11-03_52_empty_file.sql', bytes: Buffer.alloc(0), mustError: { why: 'empty file' } });
  add({ kind: 'whitespace-only', origin: 'spaces, tabs, newlines', name: '2025-11-04_53_whitespace_only.sql', bytes: Buffer.from(' \n\t\n   \r\n\n  '), mustError: { why: 'whitespace-only file' } });
  add({ kind: 'only-comments', origin: 'no header rule', name: '2025-11-05_54_only_comments.sql', bytes: Buffer.from('-- just a comment\n/* and another */\n') });
  add({ kind: 'only-semicolons', origin: ';;;', name: '2025-11-06_55_only_semicolons.sql', bytes: Buffer.from(';;;\n;\n') });
  add({ kind: 'directory', origin: 'a folder named x.sql', name: 'x.sql', special: 'dir', mustError: { rule: 'readable-file', why: 'a directory' } });
  add({ kind: 'directory', origin: 'a folder with a migration name, holding a file', name: '2025-11-07_56_folder_not_file.sql', special: 'dir-with-file', mustError: { rule: 'readable-file', why: 'a directory' } });
  add({ kind: 'dangling-symlink', origin: 'symlink to a missing file', name: '2025-11-08_57_dangling_link.sql', special: 'dangling-symlink', mustError: { rule: 'readable-file', why: 'a missing file' } });
  for (const name of [
    'x.sql',
    '.sql',
    '2025-02-30_58_not_a_date.sql',
    '2025-11-09_5_short_sequence.sql',
    '2025-11-10_59_Café_Name.sql',
    '2025-11-11_60_name with spaces.sql',
    "2025-11-12_61_it's.sql",
    `2025-11-13_62_${'long_'.repeat(40)}name.sql`,
    'sub/folder/2025-11-14_63_nested.sql',
    '2025-11-15_999999999999999999999_huge_sequence.sql',
    '9999-99-99_00_.sql',
    'UPPER.SQL.sql',
  ]) {
    add({ kind: 'odd-name', origin: `${valid.name} as ${name}`, name, bytes: Buffer.from(valid.text) });
  }
  return out;
}

/** In-memory texts for lintSource: what no file can hold (lone surrogates) and NUL characters. */
function generateInMemory(rng: Rng): Array<{ id: number; origin: string; relPath: string; text: string; mustError?: { rule?: string; why: string } }> {
  const out: Array<{ id: number; origin: string; relPath: string; text: string; mustError?: { rule?: string; why: string } }> = [];
  const special = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE80', '\0', '\uFFFE', '\uFFFF', '\uFEFF', '\u2028', '\u2029', '\u0085'];
  for (let index = 0; index < 300; index++) {
    const source = rng.pick(sources);
    let text = index % 2 === 0 ? mutate(source.text, rng).text : source.text;
    const inserted: string[] = [];
    for (let count = rng.range(1, 5); count > 0; count--) {
      const at = rng.int(text.length + 1);
      const char = rng.pick(special);
      inserted.push(`U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}@${at}`);
      text = text.slice(0, at) + char + text.slice(at);
    }
    const id = 100_000 + index;
    out.push({
      id,
      origin: `${source.name} ${inserted.join(' ')}`,
      relPath: `migration_history/${fileName(source.name, id)}`,
      text,
      ...(text.includes('\0') ? { mustError: { rule: 'syntax', why: 'NUL character in SQL text' } } : {}),
    });
  }
  return out;
}

function writeCase(dir: string, fuzzCase: FuzzCase): string {
  const path = join(dir, fuzzCase.name);
  mkdirSync(dirname(path), { recursive: true });
  if (fuzzCase.special === 'dir') mkdirSync(path);
  else if (fuzzCase.special === 'dir-with-file') {
    mkdirSync(path);
    writeFileSync(join(path, 'inner.sql'), 'SELECT 1;\n');
  } else if (fuzzCase.special === 'dangling-symlink') symlinkSync(join(dir, 'no-such-target.sql'), path);
  else writeFileSync(path, fuzzCase.bytes!);
  return path;
}

// ---------------------------------------------------------------------------------------------

function report(): string {
  const byId = new Map(cases.map((fuzzCase) => [fuzzCase.id, fuzzCase]));
  const lines: string[] = [];
  for (const { caseId, finding } of ruleBugs.slice(0, 8)) {
    lines.push(`RULE BUG ${describeCase(byId.get(caseId))}\n  ${finding.line}:${finding.column} ${finding.rule}: ${finding.message}`);
  }
  for (const { caseId, problem } of violations.slice(0, 12)) lines.push(`${describeCase(byId.get(caseId))}\n  ${problem}`);
  if (violations.length + ruleBugs.length > 20) lines.push(`... ${violations.length} violations, ${ruleBugs.length} rule bugs in all`);
  lines.push(`seed ${SEED}; inputs kept in ${base} (PGWARDEN_FUZZ_KEEP=1 keeps them on success too)`);
  return lines.join('\n');
}

beforeAll(async () => {
  const registry = (await import(new URL('rules/registry.js', CORE_DIST).href)) as { RULE_IDS: readonly string[] };
  RULE_IDS = new Set(registry.RULE_IDS);
  await loadModule();
  base = realpathSync(mkdtempSync(join(tmpdir(), 'pgw-fuzz-')));
  cpSync(join(WORKSPACE, 'current_schema'), join(base, 'current_schema'), { recursive: true });
  const historyDir = join(WORKSPACE, 'migration_history');
  sources = readdirSync(historyDir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(historyDir, name), 'utf8') }));
  expect(sources.length).toBeGreaterThanOrEqual(12);
  cases = generateCases(new Rng(SEED));
});

afterAll(async () => {
  await pool.stop();
  console.log(`lint fuzz (seed ${SEED}): ${JSON.stringify(stats)}, worker restarts ${pool.restarts}`);
  if (base && !failed && !process.env.PGWARDEN_FUZZ_KEEP) rmSync(base, { recursive: true, force: true });
  else if (base) console.log(`lint fuzz inputs kept in ${base}`);
});

/** A root with its own migration_history/ and a link to the copied current_schema/. */
function makeRoot(name: string): string {
  const root = join(base, name);
  mkdirSync(join(root, 'migration_history'), { recursive: true });
  symlinkSync(join(base, 'current_schema'), join(root, 'current_schema'));
  return root;
}

/** Each test reports only its own violations. */
beforeEach(() => {
  violations.length = 0;
  ruleBugs.length = 0;
});

describe('pgwarden lint on bad input', () => {
  it('lints thousands of generated files in-process without a crash, a hang or a rule bug', async () => {
    // Cases with clashing names (x.sql as a file and as a folder) and special entries get a root each.
    const alone = cases.filter((fuzzCase) => fuzzCase.special || fuzzCase.kind === 'odd-name');
    const batched = cases.filter((fuzzCase) => !alone.includes(fuzzCase));
    const batches: FuzzCase[][] = [];
    for (let index = 0; index < batched.length; index += BATCH_SIZE) batches.push(batched.slice(index, index + BATCH_SIZE));
    for (const fuzzCase of alone) batches.push([fuzzCase]);

    let hungBatches = 0;
    for (const [index, batch] of batches.entries()) {
      if (hungBatches >= 3) {
        check(batch[0]!.id, false, () => `stopped after ${hungBatches} hung batches; ${batches.length - index} batches not run`);
        break;
      }
      const root = makeRoot(`batch-${index}`);
      const paths = batch.map((fuzzCase) => writeCase(join(root, 'migration_history'), fuzzCase));
      stats.batches++;
      const reply = await pool.run({ type: 'paths', root, paths }, BATCH_TIMEOUT_MS);
      if (reply.hung) hungBatches++;
      // A hang or an exception: run the batch's files one by one to find the input that causes it.
      const attribute = reply.hung || reply.error !== undefined;
      const findings: Finding[] = attribute ? [] : reply.findings!;
      const broken = new Set<number>();
      if (attribute) {
        for (const [position, fuzzCase] of batch.entries()) {
          const single = await pool.run({ type: 'paths', root, paths: [paths[position]] }, CASE_TIMEOUT_MS);
          if (single.hung) check(fuzzCase.id, false, () => `no answer within ${CASE_TIMEOUT_MS} ms: a hang`);
          else if (single.error !== undefined) check(fuzzCase.id, false, () => `lint() threw: ${single.error}`);
          else findings.push(...single.findings!);
          if (single.hung || single.error !== undefined) broken.add(fuzzCase.id);
        }
        if (broken.size === 0) check(batch[0]!.id, false, () => `batch ${index} failed as a whole (${reply.hung ? 'hang' : reply.error}) but no file alone did`);
      }
      for (const fuzzCase of batch) {
        if (broken.has(fuzzCase.id)) continue;
        const relPath = `migration_history/${fuzzCase.name}`;
        const own = findings.filter((finding) => finding.file === relPath);
        const text = fuzzCase.bytes ? decodeText(fuzzCase.bytes) : undefined;
        validate(fuzzCase, relPath, own, fuzzCase.bytes && fuzzCase.bytes.length > MAX_SOURCE_BYTES ? undefined : text);
        stats.inProcessFiles++;
      }
      const known = new Set(batch.map((fuzzCase) => `migration_history/${fuzzCase.name}`));
      for (const finding of findings) check(batch[0]!.id, known.has(finding.file), () => `finding for a file that was not linted: ${JSON.stringify(finding)}`);
    }

    // The generated inputs that must fail really do, by construction (a check of the generator itself).
    for (const fuzzCase of cases.filter((c) => c.kind.startsWith('truncate-mid'))) {
      expect(rawParseFails(decodeText(fuzzCase.bytes!)!), describeCase(fuzzCase)).toBe(true);
    }
    failed ||= violations.length + ruleBugs.length > 0;
    expect(ruleBugs.length, report()).toBe(0);
    expect(violations.length, report()).toBe(0);
    expect(stats.inProcessFiles).toBeGreaterThanOrEqual(2000);
  }, 240_000);

  it('lints in-memory texts with lone surrogates and NUL characters (lintSource)', async () => {
    const root = makeRoot('in-memory');
    const inputs = generateInMemory(new Rng(SEED ^ 0x1234));
    for (const input of inputs) {
      const fuzzCase: FuzzCase = { id: input.id, kind: 'in-memory', origin: input.origin, name: input.relPath.slice('migration_history/'.length), mustError: input.mustError };
      cases.push(fuzzCase);
      const reply = await pool.run({ type: 'source', root, relPath: input.relPath, text: input.text }, CASE_TIMEOUT_MS);
      if (reply.hung) check(input.id, false, () => `no answer within ${CASE_TIMEOUT_MS} ms: a hang`);
      else if (reply.error !== undefined) check(input.id, false, () => `lintSource() threw: ${reply.error}`);
      else validate(fuzzCase, input.relPath, reply.findings!, input.text);
      stats.inMemory++;
    }
    failed ||= violations.length + ruleBugs.length > 0;
    expect(ruleBugs.length, report()).toBe(0);
    expect(violations.length, report()).toBe(0);
  }, 120_000);

  it.each([
    ['CRLF', '\r\n'],
    ['CR-only (classic Mac)', '\r'],
  ])('finds the same problems at the same positions in a %s file as in the LF file', async (label, eol) => {
    const root = makeRoot(`eol-${eol.length}`);
    const rng = new Rng(SEED ^ 0x4c46);
    const texts = [...sources.map((source) => ({ name: source.name, text: source.text }))];
    for (let index = 0; index < 100; index++) {
      const source = rng.pick(sources);
      texts.push({ name: source.name, text: mutate(source.text, rng).text.replace(/\r/g, '') });
    }
    const differences: string[] = [];
    const project = (findings: Finding[]) => findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.rule} ${f.message}`).sort();
    for (const [index, { name, text }] of texts.entries()) {
      const relPath = `migration_history/${fileName(name, 200_000 + index)}`;
      const lf = await pool.run({ type: 'source', root, relPath, text }, CASE_TIMEOUT_MS);
      const other = await pool.run({ type: 'source', root, relPath, text: text.replace(/\n/g, eol) }, CASE_TIMEOUT_MS);
      stats.eolPairs++;
      if (lf.findings === undefined || other.findings === undefined) {
        differences.push(`${relPath}: ${lf.error ?? other.error ?? 'hang'}`);
        continue;
      }
      const a = project(lf.findings);
      const b = project(other.findings);
      const onlyLf = a.filter((entry) => !b.includes(entry));
      const onlyOther = b.filter((entry) => !a.includes(entry));
      if (onlyLf.length || onlyOther.length) differences.push(`${relPath} (from ${name}): LF only ${JSON.stringify(onlyLf)}; ${label} only ${JSON.stringify(onlyOther)}`);
    }
    expect(differences.slice(0, 10).join('\n')).toBe('');
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// The real binary

interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runCli(cwd: string, args: string[]): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [CLI, 'lint', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CLI_TIMEOUT_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      stats.cliRuns++;
      resolvePromise({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/** Runs jobs two at a time (the machine has two cores). */
async function inPairs<T, R>(items: readonly T[], job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index]!);
    }
  };
  await Promise.all([lane(), lane()]);
  return results;
}

describe('pgwarden lint (the binary) on bad input', () => {
  it('exits 0 or 1, never 2, a signal or a stack trace, within the time bound; broken files exit 1', async () => {
    // Big files get a root of their own: with paths, lint still reads the whole history of its root.
    const root = makeRoot('cli');
    const bigRoot = makeRoot('cli-big');
    const rng = new Rng(SEED ^ 0xc11);
    const padded = (unit: string, bytes: number, from = sources[10]!.text) => {
      const count = Math.ceil((bytes - Buffer.byteLength(from)) / Buffer.byteLength(unit));
      return Buffer.from(from + unit.repeat(Math.max(0, count)));
    };
    const statement = "COMMENT ON COLUMN public.documents.quarantine_reason IS 'Why the scanner quarantined the document.';\n";
    const base10 = cases.length + 300_000;
    const cliCases: FuzzCase[] = [
      {
        id: base10,
        kind: '10-mb',
        origin: 'valid migration padded with valid statements to 10 MB',
        name: '2025-12-01_70_ten_megabytes.sql',
        bytes: padded(statement, 10 * 1024 * 1024),
        mustError: { rule: 'readable-file', why: 'larger than the 5 MiB limit' },
      },
      { id: base10 + 1, kind: 'big-statements', origin: 'padded with statements to 4.9 MB (under the limit: parsed)', name: '2025-12-02_71_big_statements.sql', bytes: padded(statement, 4.9 * 1024 * 1024) },
      { id: base10 + 2, kind: 'big-comments', origin: 'padded with comment lines to 4.9 MB', name: '2025-12-03_72_big_comments.sql', bytes: padded('-- padding: a comment line that changes nothing\n', 4.9 * 1024 * 1024) },
      { id: base10 + 3, kind: 'big-one-line', origin: 'padded with statements on one line to 4.9 MB', name: '2025-12-04_73_big_one_line.sql', bytes: padded(statement.trimEnd() + ' ', 4.9 * 1024 * 1024) },
      {
        id: base10 + 4,
        kind: 'big-unterminated',
        origin: 'an unterminated dollar quote followed by 4.9 MB',
        name: '2025-12-05_74_big_unterminated.sql',
        bytes: padded(statement, 4.9 * 1024 * 1024, `${sources[10]!.text}\nDO $$ BEGIN\n`),
        mustError: { rule: 'syntax', why: 'unterminated dollar quote' },
      },
      { id: base10 + 5, kind: 'random-bytes', origin: '4096 random bytes', name: '2025-12-06_75_random.sql', bytes: rng.bytes(4096), mustError: { why: 'random bytes' } },
      { id: base10 + 6, kind: 'random-bytes', origin: '100 high bytes', name: '2025-12-07_76_random_high.sql', bytes: Buffer.from(rng.bytes(100).map((byte) => 0x80 | byte)), mustError: { why: 'random bytes' } },
      { id: base10 + 7, kind: 'random-bytes', origin: '1 MB random bytes', name: '2025-12-08_77_random_big.sql', bytes: rng.bytes(1024 * 1024), mustError: { why: 'random bytes' } },
      { id: base10 + 8, kind: 'invalid-utf8', origin: 'overlong slash', name: '2025-12-09_78_invalid_utf8.sql', bytes: injectInvalidUtf8(Buffer.from(sources[9]!.text), rng, [0xc0, 0xaf]), mustError: { rule: 'readable-file', why: 'invalid UTF-8' } },
      { id: base10 + 9, kind: 'invalid-utf8', origin: 'encoded surrogate', name: '2025-12-10_79_invalid_utf8.sql', bytes: injectInvalidUtf8(Buffer.from(sources[11]!.text), rng, [0xed, 0xa0, 0x80]), mustError: { rule: 'readable-file', why: 'invalid UTF-8' } },
      { id: base10 + 10, kind: 'invalid-utf8', origin: 'truncated 4-byte sequence at the end', name: '2025-12-11_80_invalid_utf8.sql', bytes: Buffer.concat([Buffer.from(sources[12]!.text), Buffer.from([0xf0, 0x9f, 0x98])]), mustError: { rule: 'readable-file', why: 'invalid UTF-8' } },
      { id: base10 + 11, kind: 'directory', origin: 'a folder named x.sql', name: 'x.sql', special: 'dir', mustError: { rule: 'readable-file', why: 'a directory' } },
      { id: base10 + 12, kind: 'dangling-symlink', origin: 'symlink to nothing', name: '2025-12-12_81_dangling.sql', special: 'dangling-symlink', mustError: { rule: 'readable-file', why: 'a missing file' } },
      { id: base10 + 13, kind: 'empty', origin: '0 bytes', name: '2025-12-13_82_empty.sql', bytes: Buffer.alloc(0), mustError: { why: 'empty file' } },
      { id: base10 + 14, kind: 'whitespace-only', origin: 'blank', name: '2025-12-14_83_blank.sql', bytes: Buffer.from('\n \t \r\n\n'), mustError: { why: 'whitespace-only file' } },
      { id: base10 + 15, kind: 'crlf', origin: sources[13]!.name, name: '2025-12-15_84_crlf.sql', bytes: Buffer.from(sources[13]!.text.replace(/\n/g, '\r\n')) },
      { id: base10 + 16, kind: 'bom', origin: sources[14]!.name, name: '2025-12-16_85_bom.sql', bytes: Buffer.from(`\uFEFF${sources[14]!.text}`) },
      { id: base10 + 17, kind: 'header-only', origin: sources[15]!.name, name: '2025-12-17_86_header_only.sql', bytes: Buffer.from(sources[15]!.text.slice(0, headerEnd(sources[15]!.text))) },
      { id: base10 + 18, kind: 'cr-only', origin: sources[16]!.name, name: '2025-12-18_87_cr_only.sql', bytes: Buffer.from(sources[16]!.text.replace(/\n/g, '\r')) },
      { id: base10 + 19, kind: 'nul', origin: 'NUL in the body', name: '2025-12-19_88_nul.sql', bytes: Buffer.from(`${sources[17]!.text}\0`), mustError: { rule: 'readable-file', why: 'NUL byte' } },
      {
        id: base10 + 20,
        kind: 'truncate-mid-statement',
        origin: sources[11]!.name,
        name: '2025-12-20_89_truncated.sql',
        bytes: Buffer.from(sources[11]!.text.slice(0, openParenCuts(sources[11]!.text)[0])),
        mustError: { rule: 'syntax', why: 'truncated after an open parenthesis' },
      },
    ];
    // And a sample of the generated inputs.
    const pool20 = cases.filter((fuzzCase) => fuzzCase.bytes && !fuzzCase.special && fuzzCase.kind !== 'odd-name');
    for (let index = 0; index < 12; index++) {
      const picked = rng.pick(pool20);
      cliCases.push({ ...picked, id: base10 + 100 + index, name: `2025-12-21_${90 + index}_sampled_${picked.kind.replace(/-/g, '_')}.sql`, origin: `sample of #${picked.id}: ${picked.origin}` });
    }
    cases.push(...cliCases);
    const isBig = (fuzzCase: FuzzCase) => (fuzzCase.bytes?.length ?? 0) > 1024 * 1024;
    const rootOf = (fuzzCase: FuzzCase) => (isBig(fuzzCase) ? bigRoot : root);
    const pathOf = (fuzzCase: FuzzCase) => join(rootOf(fuzzCase), 'migration_history', fuzzCase.name);
    for (const fuzzCase of cliCases) writeCase(join(rootOf(fuzzCase), 'migration_history'), fuzzCase);
    const smallPaths = cliCases.filter((fuzzCase) => !isBig(fuzzCase)).map(pathOf);

    const problems: string[] = [];
    const expectRun = (label: string, result: CliResult) => {
      if (result.timedOut) problems.push(`${label}: no exit within ${CLI_TIMEOUT_MS} ms (hang)`);
      else if (result.signal) problems.push(`${label}: killed by ${result.signal}`);
      else if (result.status !== 0 && result.status !== 1) problems.push(`${label}: exit ${result.status}\n${result.stderr}`);
      if (/^\s+at /m.test(result.stderr) || /internal error/.test(result.stderr)) problems.push(`${label}: stack trace on stderr\n${result.stderr}`);
    };

    // Each file alone, JSON output: the invariants and oracles of every finding.
    const single = await inPairs(cliCases, async (fuzzCase) => ({ fuzzCase, result: await runCli(rootOf(fuzzCase), ['--format', 'json', pathOf(fuzzCase)]) }));
    /** Cases whose JSON run reported findings: the stylish runs below must name them. */
    const withFindings = new Set<number>();
    for (const { fuzzCase, result } of single) {
      const label = describeCase(fuzzCase);
      expectRun(label, result);
      let findings: Finding[] = [];
      try {
        findings = JSON.parse(result.stdout) as Finding[];
      } catch {
        problems.push(`${label}: stdout is not JSON: ${result.stdout.slice(0, 300)}`);
        continue;
      }
      if (findings.length > 0) withFindings.add(fuzzCase.id);
      const hasError = findings.some((finding) => finding.severity === 'error');
      if (result.status !== (hasError ? 1 : 0)) problems.push(`${label}: exit ${result.status} with ${hasError ? 'errors' : 'no errors'}`);
      if (fuzzCase.mustError && result.status !== 1) problems.push(`${label}: clearly broken input, exit ${result.status}`);
      const text = fuzzCase.bytes && fuzzCase.bytes.length <= MAX_SOURCE_BYTES ? decodeText(fuzzCase.bytes) : undefined;
      validate(fuzzCase, `migration_history/${fuzzCase.name}`, findings, text);
    }

    // Every input in the other formats (stylish is what the hook prints): all files at once, and the whole folder.
    // Each file was already linted alone above (JSON), so stylish sees them together rather than one process each.
    const formatted = await inPairs(
      [
        ...['github', 'sarif', 'stylish', 'json'].map((format) => ({ label: `${format}, all files at once`, cwd: root, args: ['--format', format, ...smallPaths] })),
        { label: 'stylish, the whole history (no paths)', cwd: root, args: [] },
        { label: 'stylish, the whole history of big files (no paths)', cwd: bigRoot, args: [] },
      ],
      async (run) => ({ run, result: await runCli(run.cwd, run.args) }),
    );
    for (const { run, result } of formatted) expectRun(run.label, result);
    // Stylish names every file with a finding, the special inputs (a folder, a dangling symlink, 10 MB...) included.
    const stylishOf = (fuzzCase: FuzzCase) =>
      formatted.find(({ run }) => run.label === (isBig(fuzzCase) ? 'stylish, the whole history of big files (no paths)' : 'stylish, all files at once'))!;
    for (const fuzzCase of cliCases.filter((c) => withFindings.has(c.id))) {
      const { run, result } = stylishOf(fuzzCase);
      if (!result.stdout.includes(`migration_history/${fuzzCase.name}:`)) problems.push(`${run.label}: output does not name ${describeCase(fuzzCase)}:\n${result.stdout.slice(0, 300)}`);
    }
    expect(cliCases.filter((c) => c.id < base10 + 100 && c.mustError).every((c) => withFindings.has(c.id))).toBe(true);
    const allAtOnce = formatted.find(({ run }) => run.label === 'json, all files at once')!.result;
    expect(allAtOnce.status).toBe(1);
    const sarif = formatted.find(({ run }) => run.label.startsWith('sarif'))!.result;
    expect(() => JSON.parse(sarif.stdout)).not.toThrow();

    failed ||= problems.length + violations.length + ruleBugs.length > 0;
    expect(problems.slice(0, 10).join('\n\n')).toBe('');
    expect(ruleBugs.length, report()).toBe(0);
    expect(violations.length, report()).toBe(0);
  }, 240_000);
});
