import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Whether a secret reads like one copied from an example rather than generated. */
export function isPlaceholderSecret(secret: string): boolean {
  return /^(change|replace|default|example|secret|placeholder)/i.test(secret);
}

/** Name of the session cookie. */
export const SESSION_COOKIE = 'pp_session';

/**
 * Signs and checks session ids; the cookie is `<id>.<signature>`. The first secret signs;
 * every one of them verifies, so a rotation keeps the cookies signed with the previous one.
 */
export class SessionSigner {
  private readonly secrets: readonly string[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('a session secret is required');
    for (const secret of secrets) {
      if (secret.length < 16) throw new Error('a session secret must be at least 16 characters');
      if (isPlaceholderSecret(secret))
        throw new Error('a session secret is a placeholder: generate a random one (32+ bytes)');
    }
    this.secrets = secrets;
  }

  newSessionId(): string {
    return randomBytes(16).toString('base64url');
  }

  sign(id: string): string {
    return `${id}.${signature(this.secrets[0], id)}`;
  }

  /** The session id of a cookie value, or `null` if no secret's signature matches. */
  verify(cookieValue: string | undefined): string | null {
    if (!cookieValue) return null;
    const dot = cookieValue.lastIndexOf('.');
    if (dot <= 0) return null;
    const id = cookieValue.slice(0, dot);
    const given = Buffer.from(cookieValue.slice(dot + 1));
    return this.secrets.some((secret) => {
      const expected = Buffer.from(signature(secret, id));
      return given.length === expected.length && timingSafeEqual(given, expected);
    })
      ? id
      : null;
  }
}

function signature(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id).digest('base64url');
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A `Set-Cookie` value for the session: httpOnly, SameSite=Lax, whole site. */
export function sessionCookieHeader(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
