import { userInfo } from 'node:os';

/**
 * Who runs a command, as execution records and `applied_by` show it: PGWARDEN_USER when set
 * (CI names its bot), else the OS user, else "unknown" (a container without a passwd entry).
 */
export function currentUser(variables: NodeJS.ProcessEnv = process.env): string {
  if (variables.PGWARDEN_USER) return variables.PGWARDEN_USER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
