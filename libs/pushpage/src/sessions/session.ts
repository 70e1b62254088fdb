import { stringifySetCookie } from 'cookie';
import { sign as signCookie, unsign as unsignCookie } from 'cookie-signature';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ID_PATTERN } from '../protocol';

/** Whether a secret reads like one copied from an example rather than generated. */
export function isPlaceholderSecret(secret: string): boolean {
  return /^(change|replace|default|example|secret|placeholder)/i.test(secret);
}

/** Name of the session cookie. */
export const SESSION_COOKIE = 'pp_session';

/** A session cookie whose signature matched: the session and when the cookie was issued. */
export interface SignedSession {
  id: string;
  /** When the session started, in ms since the epoch (the cookie is issued once per session). */
  issuedAt: number;
}

/** An issue time: ms since the epoch, in decimal. */
const ISSUED_AT = /^\d{1,15}$/;

/**
 * Signs and checks session cookies: `<id>.<issuedAt>.<signature>`, the issue time in ms
 * since the epoch and the signature `cookie-signature`'s (HMAC-SHA256 of `<id>.<issuedAt>`,
 * base64, compared in constant time), so a session's age is known without reading the store.
 * The first secret signs; every one of them verifies, so a rotation keeps the cookies signed
 * with the previous one.
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

  /** The cookie value of a session issued at `issuedAt` (ms since the epoch). */
  sign(id: string, issuedAt: number): string {
    return signCookie(`${id}.${Math.floor(issuedAt)}`, this.secrets[0]);
  }

  /**
   * The session of a cookie value; `legacy` for a cookie of the format before sessions had
   * a lifetime (`<id>.<signature>`, no issue time) whose signature matches; `null` if no
   * secret's signature matches.
   */
  verify(cookieValue: string | undefined): SignedSession | 'legacy' | null {
    if (!cookieValue) return null;
    const dot = cookieValue.lastIndexOf('.');
    if (dot <= 0) return null;
    const payload = cookieValue.slice(0, dot);
    // cookies signed before cookie-signature carry the same HMAC in base64url
    const given = cookieValue
      .slice(dot + 1)
      .replace(/-/g, '+')
      .replace(/_/g, '/');
    const signed = `${payload}.${given}`;
    if (!this.secrets.some((secret) => unsignCookie(signed, secret) === payload)) return null;
    const parts = payload.split('.');
    if (parts.length === 1) return 'legacy';
    if (parts.length !== 2) return null;
    const [id, issuedAt] = parts;
    if (!ID_PATTERN.test(id) || !ISSUED_AT.test(issuedAt)) return null;
    return { id, issuedAt: Number(issuedAt) };
  }
}

/**
 * Every value of a cookie in a `Cookie` header, in order, as sent (not decoded). The `cookie`
 * package's parser keeps only the first of a name, and a second one must be seen (see
 * {@link readSession}).
 */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/** What a request's session cookie says, before the store is asked (see {@link readSession}). */
export type CookieSession =
  /** No session cookie, or one whose signature no configured secret matches. */
  | { state: 'none' }
  /** A cookie this server signed, but unusable: why. */
  | { state: 'refused'; why: SessionRefusal }
  | ({ state: 'valid' } & SignedSession);

/** Why a session cookie is refused without asking the store. */
export type SessionRefusal = 'ambiguous' | 'legacy' | 'too-old';

/**
 * Reads the session cookie of a `Cookie` header at time `now`: two or more `pp_session`
 * cookies with different values are `ambiguous` (whatever they hold: another site on a parent
 * or sibling domain may have set one); a cookie signed in the format before sessions had a
 * lifetime is `legacy`; one issued `maxAgeMs` or longer ago is `too-old`.
 */
export function readSession(
  signer: SessionSigner,
  header: string | undefined,
  maxAgeMs: number,
  now: number,
): CookieSession {
  const values = readCookies(header, SESSION_COOKIE);
  if (values.length === 0) return { state: 'none' };
  if (new Set(values).size > 1) return { state: 'refused', why: 'ambiguous' };
  let value: string;
  try {
    value = decodeURIComponent(values[0]);
  } catch {
    return { state: 'none' };
  }
  const signed = signer.verify(value);
  if (signed === null) return { state: 'none' };
  if (signed === 'legacy') return { state: 'refused', why: 'legacy' };
  if (now - signed.issuedAt >= maxAgeMs) return { state: 'refused', why: 'too-old' };
  return { state: 'valid', ...signed };
}

/** A `Set-Cookie` value for the session: httpOnly, SameSite=Lax, whole site, for the browser session. */
export function sessionCookieHeader(value: string, secure: boolean): string {
  return stringifySetCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}

/**
 * Whether a request came over HTTPS: Express's `req.secure` where there is one (the
 * `X-Forwarded-Proto` of a proxy the app's `trust proxy` trusts, else the connection), else
 * whether the connection itself is TLS.
 */
export function cameOverHttps(req: IncomingMessage): boolean {
  const secure = (req as IncomingMessage & { secure?: unknown }).secure;
  if (typeof secure === 'boolean') return secure;
  return (req.socket as Partial<TLSSocket> | undefined)?.encrypted === true;
}
