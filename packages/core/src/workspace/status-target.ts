import type { PgwardenConfig } from '../config/types.js';
import { embeddedDatabaseExists } from '../db/index.js';
import { status, verifiedStatusRows, type StatusRow } from '../runner/index.js';
import { gitApprovalVerifier } from './approval-git.js';
import type { LoadedHistory } from './history.js';
import { openTarget } from './migrate-target.js';
import type { DatabaseTarget } from './target.js';

export interface TargetStatus {
  /** The database as messages print it (no password), or the embedded data directory. */
  label: string;
  /** Said after the label, e.g. that the embedded database does not exist yet. */
  note?: string;
  rows: StatusRow[];
}

/**
 * `pgwarden status` and the Nx status executor: every migration's state on the target. Read-only:
 * an embedded database that does not exist yet is not created (nothing is applied there).
 * Approvals of the migrations not applied yet are verified against git with the verifier
 * `migrate` gates with (the config's `reviewers`), so status shows what migrate would refuse.
 */
export async function targetStatus(target: DatabaseTarget, history: LoadedHistory, config: Pick<PgwardenConfig, 'reviewers'>): Promise<TargetStatus> {
  const environment = { name: target.envName, config: target.environment };
  const verifyApprovals = gitApprovalVerifier(config.reviewers);
  if (!target.url && !embeddedDatabaseExists(target.embeddedDir)) {
    return {
      label: target.embeddedDir,
      note: 'the embedded database does not exist yet: nothing applied yet',
      rows: await verifiedStatusRows([], history.migrations, { ...environment, kind: 'pglite', unreadable: history.unreadable }, verifyApprovals),
    };
  }
  const db = await openTarget(target);
  try {
    return { label: db.label, rows: await status(db, history.migrations, environment, { unreadable: history.unreadable, verifyApprovals }) };
  } finally {
    await db.close();
  }
}
