/** Database URLs as messages may print them: never with a password. */

const SECRET_PARAMS = ['password', 'sslpassword', 'sslkey'];

/**
 * The URL without its password (userinfo or `?password=`), e.g.
 * `postgres://app:s3cret@db:5432/main` -> `postgres://app@db:5432/main`.
 * A string that does not parse as a URL is not echoed at all.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<database URL that does not parse>';
  }
  parsed.password = '';
  for (const name of SECRET_PARAMS) {
    if (parsed.searchParams.has(name)) parsed.searchParams.delete(name);
  }
  return parsed.toString();
}

export interface UrlParts {
  user?: string;
  host?: string;
  port?: number;
  database?: string;
  /** The secret, for scrubbing it out of any message that might echo it. */
  password?: string;
}

/** The pieces of a `postgres://` URL that messages talk about; empty when it does not parse. */
export function urlParts(url: string): UrlParts {
  try {
    const parsed = new URL(url);
    const decode = (s: string) => (s ? decodeURIComponent(s) : undefined);
    return {
      user: decode(parsed.username) ?? parsed.searchParams.get('user') ?? undefined,
      host: decode(parsed.hostname.replace(/^\[(.*)\]$/, '$1')) ?? parsed.searchParams.get('host') ?? undefined,
      port: parsed.port ? Number(parsed.port) : undefined,
      database: decode(parsed.pathname.replace(/^\//, '')) ?? parsed.searchParams.get('dbname') ?? undefined,
      password: decode(parsed.password) ?? parsed.searchParams.get('password') ?? undefined,
    };
  } catch {
    return {};
  }
}

/** Removes every occurrence of `secret` from `text` (defence in depth for driver messages). */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 2) return text;
  return text.split(secret).join('***');
}
