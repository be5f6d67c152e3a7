/** Errors of the runner that a user can act on: `userMessage` is what the CLI prints (no stack). */

export type RunnerErrorKind =
  | 'lock-timeout'
  | 'history-layout'
  | 'invalid-config'
  | 'repair'
  | 'rollback'
  | 'migration-failed'
  | 'lock-lost';

export class RunnerError extends Error {
  readonly userMessage: string;
  readonly kind: RunnerErrorKind;

  constructor(kind: RunnerErrorKind, userMessage: string) {
    super(userMessage);
    this.name = 'RunnerError';
    this.kind = kind;
    this.userMessage = userMessage;
  }
}

/** What a Postgres error (pg or PGlite) carries that the runner reads. */
export interface SqlErrorFields {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement text sent. */
  position?: string;
}

export function sqlErrorFields(error: unknown): SqlErrorFields {
  const e = (error ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: str(e.code),
    message: (error as { userMessage?: string })?.userMessage ?? message.split('\n')[0] ?? message,
    detail: str(e.detail),
    hint: str(e.hint),
    position: str(e.position),
  };
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
