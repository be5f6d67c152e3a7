import { userInfo } from 'node:os';

/**
 * Who runs a command, as execution records and `applied_by` show it: PGWARDEN_USER when set
 * (CI names its bot), else the OS user, else USER or USERNAME (a container without a passwd
 * entry still names its user there), else "unknown".
 */
export function currentUser(variables: NodeJS.ProcessEnv = process.env, osUser: () => string = () => userInfo().username): string {
  if (variables.PGWARDEN_USER) return variables.PGWARDEN_USER;
  try {
    return osUser();
  } catch {
    return variables.USER || variables.USERNAME || 'unknown';
  }
}
