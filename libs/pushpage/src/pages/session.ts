import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Whether a secret reads like one copied from an example rather than generated. */
export function isPlaceholderSecret(secret: string): boolean {
  return /^(change|replace|default|example|secret|placeholder)/i.test(secret);
}

/** Name of the session cookie. */
export const SESSION_COOKIE = 'pp_session';

/** Signs and checks session ids; the cookie is `<id>.<signature>`. */
export class SessionSigner {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new Error('the session secret must be at least 16 characters');
    if (isPlaceholderSecret(secret))
      throw new Error('the session secret is a placeholder: generate a random one (32+ bytes)');
  }

  newSessionId(): string {
    return randomBytes(16).toString('base64url');
  }

  sign(id: string): string {
    return `${id}.${this.signature(id)}`;
  }

  /** The session id of a cookie value, or `null` if the signature does not match. */
  verify(cookieValue: string | undefined): string | null {
    if (!cookieValue) return null;
    const dot = cookieValue.lastIndexOf('.');
    if (dot <= 0) return null;
    const id = cookieValue.slice(0, dot);
    const given = Buffer.from(cookieValue.slice(dot + 1));
    const expected = Buffer.from(this.signature(id));
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
  }

  private signature(id: string): string {
    return createHmac('sha256', this.secret).update(id).digest('base64url');
  }
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
