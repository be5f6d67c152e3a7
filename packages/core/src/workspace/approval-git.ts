/**
 * Approvals verified against git (an environment's `approvals.verify` of "git" or "git-signed"):
 * a header line is text anyone can write, so it counts only when
 *
 *   - the commit that added the APPROVED line (git blame of the working tree) was authored by that
 *     reviewer: an author name or e-mail listed under `reviewers` in the config, or, for a reviewer
 *     not listed there, an author name equal to the reviewer's name;
 *   - for a human approval: the reviewer is not the author of the commit that last changed the SQL
 *     body (nobody approves their own SQL);
 *   - with "git-signed": the approval's commit passes `git verify-commit`.
 *
 * The verifier returns, by header line, why each failing approval does not count.
 */

import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import type { ApprovalVerification } from '../config/types.js';
import type { Approval, Migration } from '../migration/types.js';

const run = promisify(execFile);
const UNCOMMITTED = /^0{40}$/;

interface BlameLine {
  commit: string;
  authorName: string;
  authorMail: string;
  committerTime: number;
}

/** A verifier for the runner's plan (runner/plan.ts ApprovalVerifier), reading `reviewers` from the config. */
export function gitApprovalVerifier(reviewers: Readonly<Record<string, readonly string[]>>) {
  const signatures = new Map<string, Promise<boolean>>();
  return async (migration: Migration, approvals: readonly Approval[], verify: Exclude<ApprovalVerification, 'none'>): Promise<ReadonlyMap<number, string>> => {
    const rejected = new Map<number, string>();
    let blame: Map<number, BlameLine>;
    try {
      blame = await blameFile(migration.path);
    } catch (error) {
      const why = firstLine((error as { stderr?: string }).stderr) || (error as Error).message;
      for (const a of approvals) rejected.set(a.line, `the approval by ${a.by} cannot be verified against git (${why})`);
      return rejected;
    }
    const bodyAuthor = lastBodyChange(blame, migration.bodyStartLine);
    for (const approval of approvals) {
      const line = blame.get(approval.line);
      if (!line || UNCOMMITTED.test(line.commit)) {
        rejected.set(approval.line, `the approval by ${approval.by} is not committed, so git cannot say who added it: commit it as ${approval.by}`);
        continue;
      }
      const commit = line.commit.slice(0, 7);
      if (!isReviewer(approval.by, line, reviewers)) {
        rejected.set(approval.line, `approval by ${approval.by} was added in commit ${commit} by ${line.authorName} <${line.authorMail}>, not by ${approval.by}`);
        continue;
      }
      if (approval.kind === 'human') {
        if (bodyAuthor === 'uncommitted') {
          rejected.set(approval.line, `the SQL body has uncommitted changes, so its author is unknown and the approval by ${approval.by} cannot be checked: commit it`);
          continue;
        }
        if (bodyAuthor && isReviewer(approval.by, bodyAuthor, reviewers)) {
          rejected.set(approval.line, `approval by ${approval.by} approves SQL that ${approval.by} last changed (commit ${bodyAuthor.commit.slice(0, 7)}): another reviewer must approve it`);
          continue;
        }
      }
      if (verify === 'git-signed') {
        const cwd = dirname(migration.path);
        let signed = signatures.get(line.commit);
        if (!signed) {
          signed = run('git', ['verify-commit', line.commit], { cwd }).then(
            () => true,
            () => false,
          );
          signatures.set(line.commit, signed);
        }
        if (!(await signed)) rejected.set(approval.line, `approval by ${approval.by} was added in commit ${commit}, which has no valid signature (git verify-commit)`);
      }
    }
    return rejected;
  };
}

/** Whether a commit author is `reviewer`: a configured name or e-mail, else the reviewer's own name. */
function isReviewer(reviewer: string, author: BlameLine, reviewers: Readonly<Record<string, readonly string[]>>): boolean {
  const identities = reviewers[reviewer] ?? [reviewer, reviewer.replace(/^bot:/i, '')];
  const name = author.authorName.trim().toLowerCase();
  const mail = author.authorMail.trim().toLowerCase();
  return identities.some((identity) => {
    const wanted = identity.trim().toLowerCase();
    return wanted === name || wanted === mail;
  });
}

/** The author of the newest commit among the body's lines; 'uncommitted' when a body line is not committed. */
function lastBodyChange(blame: Map<number, BlameLine>, bodyStartLine: number): BlameLine | 'uncommitted' | undefined {
  let newest: BlameLine | undefined;
  for (const [number, line] of blame) {
    if (number < bodyStartLine) continue;
    if (UNCOMMITTED.test(line.commit)) return 'uncommitted';
    if (!newest || line.committerTime > newest.committerTime) newest = line;
  }
  return newest;
}

/** `git blame --line-porcelain` of the working-tree file, by 1-based line. */
async function blameFile(path: string): Promise<Map<number, BlameLine>> {
  const { stdout } = await run('git', ['blame', '--line-porcelain', '--', basename(path)], { cwd: dirname(path), maxBuffer: 64 * 1024 * 1024 });
  const lines = new Map<number, BlameLine>();
  let current: (BlameLine & { final: number }) | undefined;
  for (const text of stdout.split('\n')) {
    const header = /^([0-9a-f]{40}) \d+ (\d+)/.exec(text);
    if (header && !current) {
      current = { commit: header[1]!, final: Number(header[2]), authorName: '', authorMail: '', committerTime: 0 };
    } else if (current && text.startsWith('\t')) {
      lines.set(current.final, { commit: current.commit, authorName: current.authorName, authorMail: current.authorMail, committerTime: current.committerTime });
      current = undefined;
    } else if (current) {
      if (text.startsWith('author ')) current.authorName = text.slice(7);
      else if (text.startsWith('author-mail ')) current.authorMail = text.slice(12).replace(/^<|>$/g, '');
      else if (text.startsWith('committer-time ')) current.committerTime = Number(text.slice(15));
    }
  }
  return lines;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n').find((line) => line.trim() !== '')?.replace(/^fatal:\s*/, '').trim() ?? '';
}
