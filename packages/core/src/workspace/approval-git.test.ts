/**
 * Approvals verified against git, in real temporary repositories with several authors: the
 * dry-run plan of `migrate` (embedded target, no database needed) on a copy of the demo workspace,
 * where file 19 loses its approvals and gets them again from commits by various people.
 */

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { addApproval } from '../migration/rewrite.js';
import { parseMigration } from '../migration/parse-migration.js';
import { loadHistory } from './history.js';
import { migrateTarget } from './migrate-target.js';
import { statusReport } from './report.js';
import { targetStatus } from './status-target.js';
import { resolveTarget } from './target.js';

const REPO = resolve(import.meta.dirname, '../../../..');
const FILE_19 = 'migration_history/2025-09-09_19_restrict_clinical_notes_update_policy.sql';
const roots: string[] = [];

function gpgAvailable(): boolean {
  try {
    execFileSync('gpg', ['--version'], { stdio: 'ignore' });
    execFileSync('gpgconf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const PEOPLE = {
  bob: ['Bob Author', 'bob@example.com'],
  alice: ['Alice Martin', 'alice@example.com'],
  bot: ['Review Assistant', 'review-bot@example.com'],
  mallory: ['Mallory', 'mallory@example.com'],
} as const;

class Repo {
  readonly root = realpathSync(mkdtempSync(join(tmpdir(), 'pgwarden-approvals-')));
  constructor(verify: 'git' | 'git-signed') {
    roots.push(this.root);
    cpSync(join(REPO, 'migration_history'), join(this.root, 'migration_history'), { recursive: true });
    cpSync(join(REPO, 'current_schema'), join(this.root, 'current_schema'), { recursive: true });
    writeFileSync(
      join(this.root, 'pgwarden.config.json'),
      JSON.stringify({
        environments: { local: { approvals: { human: 1, bot: 1, verify } } },
        reviewers: { alice: ['alice@example.com'], carol: ['carol@example.com'], bob: ['Bob Author'], 'bot:review-assistant': ['review-bot@example.com'] },
      }),
    );
    writeFileSync(join(this.root, '.gitignore'), '.pgwarden/\n');
    // File 19 as Bob wrote it: no approvals yet.
    this.write(FILE_19, this.read(FILE_19).replace(/^-- APPROVED: .*\n/gm, ''));
    this.git([], ['init', '-q', '-b', 'main']);
    this.commitAll('bob', 'demo history and file 19');
  }
  path(rel: string): string {
    return join(this.root, rel);
  }
  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }
  write(rel: string, text: string): void {
    writeFileSync(this.path(rel), text);
  }
  git(config: string[], args: string[]): string {
    return execFileSync('git', [...config, ...args], { cwd: this.root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  }
  commitAll(who: keyof typeof PEOPLE, message: string, signingKey?: string): string {
    const [name, email] = PEOPLE[who];
    this.git([], ['add', '-A']);
    const sign = signingKey ? ['-c', `user.signingkey=${signingKey}`, '-c', 'commit.gpgsign=true'] : [];
    this.git(['-c', `user.name=${name}`, '-c', `user.email=${email}`, ...sign], ['commit', '-q', '-m', message]);
    return this.git([], ['rev-parse', '--short=7', 'HEAD']).trim();
  }
  /** What `pgwarden approve FILE_19 --by NAME` writes. */
  approve(by: string): void {
    const text = this.read(FILE_19);
    const migration = parseMigration({ path: this.path(FILE_19), relPath: FILE_19, text });
    this.write(FILE_19, addApproval(text, { by, date: '2026-12-07', checksum: migration.checksum, fileName: basename(FILE_19) }));
  }
  /** The approval refusal of file 19 in a dry run, or undefined when its approvals pass. */
  async refusal(): Promise<string | undefined> {
    const config = loadConfig({ cwd: this.root });
    const history = await loadHistory(config);
    const result = await migrateTarget({ config, target: resolveTarget(config, {}, {}), migrations: history.migrations, dryRun: true });
    return result.refused.find((r) => r.relPath === FILE_19 && r.kind === 'approval')?.message;
  }
  /** `pgwarden status` on the local (embedded) environment: the rows and the printed table. */
  async status(): Promise<{ row19: StatusRowOf; rows: StatusRowOf[]; text: string }> {
    const config = loadConfig({ cwd: this.root });
    const history = await loadHistory(config);
    const target = resolveTarget(config, {}, {});
    const { label, note, rows } = await targetStatus(target, history, config);
    return { row19: rows.find((row) => row.relPath === FILE_19)!, rows, text: statusReport(rows, label, target.envName, note) };
  }
}

type StatusRowOf = Awaited<ReturnType<typeof targetStatus>>['rows'][number];

describe('approvals verified against git', () => {
  it('genuine: the human and the bot each committed their own line, and neither wrote the SQL: accepted', async () => {
    const repo = new Repo('git');
    repo.approve('alice');
    repo.commitAll('alice', 'approve 19');
    repo.approve('bot:review-assistant');
    repo.commitAll('bot', 'bot review of 19');
    expect(await repo.refusal()).toBeUndefined();
  });

  it('forged: an approval line committed by someone else is refused, naming the commit and its author', async () => {
    const repo = new Repo('git');
    repo.approve('bot:review-assistant');
    repo.commitAll('bot', 'bot review of 19');
    repo.approve('carol');
    const commit = repo.commitAll('mallory', 'approve 19 as carol');
    const message = await repo.refusal();
    expect(message).toContain(`${FILE_19}: has 0 of 1 human and 1 of 1 bot approval required for environment local`);
    expect(message).toContain(`approval by carol was added in commit ${commit} by Mallory <mallory@example.com>, not by carol`);
  });

  it('a human approving the SQL they last changed is refused (the genuine case above: alice approving the SQL of bob counts)', async () => {
    const repo = new Repo('git');
    repo.approve('bot:review-assistant');
    repo.commitAll('bot', 'bot review');
    repo.approve('bob');
    repo.commitAll('bob', 'approve my own SQL');
    expect(await repo.refusal()).toContain('approval by bob approves SQL that bob last changed');
  });

  it('an approval line that is not committed, or a bot line committed by a person, does not count', async () => {
    const repo = new Repo('git');
    repo.approve('alice');
    repo.commitAll('alice', 'approve 19');
    repo.approve('bot:review-assistant');
    expect(await repo.refusal()).toContain('the approval by bot:review-assistant is not committed, so git cannot say who added it');
    const commit = repo.commitAll('alice', 'bot line, but by alice');
    expect(await repo.refusal()).toContain(`approval by bot:review-assistant was added in commit ${commit} by Alice Martin <alice@example.com>`);
  });

  it('a copy of an approved body under another name is not approved (approvals bind the file name)', async () => {
    const repo = new Repo('git');
    repo.approve('alice');
    repo.commitAll('alice', 'approve 19');
    repo.approve('bot:review-assistant');
    repo.commitAll('bot', 'bot review');
    const copy = 'migration_history/2025-09-10_20_restrict_clinical_notes_update_policy.sql';
    repo.write(copy, repo.read(FILE_19).replace('-- Date: 2025-09-09', '-- Date: 2025-09-10'));
    repo.commitAll('mallory', 'copy');
    const config = loadConfig({ cwd: repo.root });
    const history = await loadHistory(config);
    const result = await migrateTarget({ config, target: resolveTarget(config, {}, {}), migrations: history.migrations, dryRun: true });
    const refusal = result.refused.find((r) => r.relPath === copy && r.kind === 'approval');
    expect(refusal?.message).toContain(`the approval by alice (line 26) was given for ${basename(FILE_19)}, not this file`);
  });

  it('"git-signed": an unsigned approval commit is refused', async () => {
    const repo = new Repo('git-signed');
    repo.approve('alice');
    const commit = repo.commitAll('alice', 'approve 19 (unsigned)');
    repo.approve('bot:review-assistant');
    repo.commitAll('bot', 'bot review (unsigned)');
    const message = await repo.refusal();
    expect(message).toContain(`approval by alice was added in commit ${commit}, which has no valid signature (git verify-commit)`);
  });

  it.skipIf(!gpgAvailable())('"git-signed": approval commits signed with a key gpg trusts are accepted', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pgwarden-gnupg-'));
    roots.push(home);
    const previous = process.env.GNUPGHOME;
    process.env.GNUPGHOME = home;
    try {
      execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'Alice Martin <alice@example.com>', 'ed25519', 'sign', 'never'], { stdio: 'ignore' });
      const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(execFileSync('gpg', ['--list-keys', '--with-colons'], { encoding: 'utf8' }))![1]!;
      const repo = new Repo('git-signed');
      repo.approve('alice');
      repo.commitAll('alice', 'approve 19 (signed)', fingerprint);
      repo.approve('bot:review-assistant');
      repo.commitAll('bot', 'bot review (signed)', fingerprint);
      expect(await repo.refusal()).toBeUndefined();
    } finally {
      execFileSync('gpgconf', ['--kill', 'gpg-agent'], { stdio: 'ignore' });
      if (previous === undefined) delete process.env.GNUPGHOME;
      else process.env.GNUPGHOME = previous;
    }
  });

  it('an approval written before approvals were bound to a file name counts toward a plain number only', async () => {
    const repo = new Repo('git');
    const text = repo.read(FILE_19);
    const migration = parseMigration({ path: repo.path(FILE_19), relPath: FILE_19, text });
    repo.write(FILE_19, addApproval(text, { by: 'alice', date: '2026-12-07', checksum: migration.checksum }));
    repo.commitAll('alice', 'old-style approval');
    expect(await repo.refusal()).toContain('the approval by alice (line 26) predates approvals bound to a file name and counts only toward a plain number');
    repo.write('pgwarden.config.json', JSON.stringify({ environments: { local: { approvals: 1 } } }));
    expect(await repo.refusal()).toBeUndefined();
  });
});

describe('status reports the approvals git voids, as migrate refuses them', () => {
  it('forged: the approval committed by someone else is rejected with the reason migrate gives, and not counted', async () => {
    const repo = new Repo('git');
    repo.approve('bot:review-assistant');
    repo.commitAll('bot', 'bot review of 19');
    repo.approve('carol');
    repo.commitAll('mallory', 'approve 19 as carol');
    const refusal = await repo.refusal();
    const { row19, text } = await repo.status();
    expect(row19.state).toBe('pending');
    expect(row19.approvals.valid).toBe(1);
    expect(row19.approvals.required).toBe(2);
    expect(row19.approvals.rejected).toHaveLength(1);
    const [rejected] = row19.approvals.rejected;
    expect(rejected).toMatchObject({ by: 'carol', line: expect.any(Number) });
    // Word for word what migrate refuses with.
    expect(refusal).toContain(`${rejected!.reason} (line ${rejected!.line})`);
    expect(text).toMatch(new RegExp(`\\npending\\s+${basename(FILE_19)}\\s+1/2 \\(1 rejected by git\\)\\s+approval by carol was added in commit [0-9a-f]{7} by Mallory <mallory@example.com>, not by carol \\(line ${rejected!.line}\\)\\n`));
  });

  it('genuine approvals: nothing rejected, both counted (near miss of the forged case)', async () => {
    const repo = new Repo('git');
    repo.approve('alice');
    repo.commitAll('alice', 'approve 19');
    repo.approve('bot:review-assistant');
    repo.commitAll('bot', 'bot review of 19');
    expect(await repo.refusal()).toBeUndefined();
    const { row19, text } = await repo.status();
    expect(row19.approvals).toEqual({ valid: 2, required: 2, voided: false, rejected: [] });
    expect(text).not.toContain('rejected by git');
  });

  it('on an existing database: applied migrations are not re-verified, the pending one is', async () => {
    const repo = new Repo('git');
    const gated = repo.read('pgwarden.config.json');
    // Apply 1-18 under a plain count of zero (the demo's approval lines were committed by bob, so git would reject them).
    repo.write('pgwarden.config.json', JSON.stringify({ ...JSON.parse(gated), environments: { local: { approvals: 0 } } }));
    const config = loadConfig({ cwd: repo.root });
    const history = await loadHistory(config);
    const applied = await migrateTarget({ config, target: resolveTarget(config, {}, {}), migrations: history.migrations, to: '2025-08-26_18', finalize: false });
    expect(applied.refused).toEqual([]);
    expect(applied.applied).toHaveLength(18);
    repo.write('pgwarden.config.json', gated);
    repo.approve('carol');
    repo.commitAll('mallory', 'approve 19 as carol');
    const { rows, row19 } = await repo.status();
    expect(rows.filter((row) => row.state === 'applied')).toHaveLength(18);
    for (const row of rows.filter((row) => row.state === 'applied')) expect(row.approvals.rejected).toEqual([]);
    expect(row19.state).toBe('pending');
    expect(row19.approvals.rejected.map((rejected) => rejected.by)).toEqual(['carol']);
  }, 300_000);
});
