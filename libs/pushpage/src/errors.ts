import type { UnusableReason } from './protocol';

/** Machine-readable reasons an event or request is refused. */
export type PushpageErrorCode =
  | 'bad-request'
  | 'forbidden'
  | 'not-found'
  | 'not-listening'
  | 'too-large'
  | 'unsupported-type'
  | 'handler-failed'
  | 'in-progress'
  | 'conflict'
  | 'rate-limited'
  | 'unavailable';

const STATUS: Record<PushpageErrorCode, number> = {
  'bad-request': 400,
  forbidden: 403,
  'not-found': 404,
  'not-listening': 422,
  'too-large': 413,
  'unsupported-type': 415,
  'handler-failed': 500,
  'in-progress': 409,
  conflict: 409,
  'rate-limited': 429,
  unavailable: 503,
};

/**
 * An error the client is told about, with a code and an HTTP status, and a reason when the
 * tab cannot use its page at all (see {@link UnusableReason}).
 */
export class PushpageError extends Error {
  constructor(
    readonly code: PushpageErrorCode,
    message: string,
    readonly reason?: UnusableReason,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.code];
  }

  /** The wire form; JSON leaves `reason` out when there is none. */
  toJSON(): { code: PushpageErrorCode; message: string; reason?: UnusableReason } {
    return { code: this.code, message: this.message, reason: this.reason };
  }
}

/** The page does not exist (any more). */
export function pageGone(pageId: string): PushpageError {
  return new PushpageError(
    'not-found',
    `page ${pageId} does not exist (it expired, or the server lost it); reload the page`,
    'page-gone',
  );
}

/** The component named is not on the page named (or not at all). */
export function notOnPage(componentId: string, pageId: string): PushpageError {
  return new PushpageError('not-found', `component ${componentId} is not on page ${pageId}`);
}

/** The request's session cookie is missing or signed with a secret this server does not know. */
export function sessionUnknown(): PushpageError {
  return new PushpageError(
    'forbidden',
    "this tab's session is not recognised (no session cookie, or one signed with another " +
      'secret); reload the page, or open it again over the API and send the cookie it sets',
    'session-unknown',
  );
}

/** Why a session cookie this server signed is refused: see {@link sessionEnded}. */
export type SessionEnd = 'ambiguous' | 'legacy' | 'too-old' | 'idle' | 'revoked';

const RENEW =
  'reload the page for a new session, or open it again over the API and send the cookie it sets';

const SESSION_ENDS: Record<SessionEnd, string> = {
  ambiguous:
    'the request carries two different pp_session cookies, so its session is ambiguous (a site ' +
    "on a parent or sibling domain may have set one): clear this site's cookies, then reload",
  legacy: `this tab's session expired (its cookie was issued before sessions had a lifetime); ${RENEW}`,
  'too-old': `this tab's session expired (it is older than the sessions' maximum age); ${RENEW}`,
  idle: `this tab's session expired (it was not used for longer than the sessions' idle limit); ${RENEW}`,
  revoked: `this tab's session was revoked by the server; ${RENEW}`,
};

/**
 * A session cookie this server signed that it refuses: two different ones in one request, one
 * from before sessions had a lifetime, a session past its maximum age or idle limit, or a
 * revoked one. Like {@link sessionUnknown}: `forbidden`, reason `session-unknown`.
 */
export function sessionEnded(why: SessionEnd): PushpageError {
  return new PushpageError('forbidden', SESSION_ENDS[why], 'session-unknown');
}

/** The page belongs to another session. */
export function otherSession(pageId: string): PushpageError {
  return new PushpageError(
    'forbidden',
    `page ${pageId} belongs to another session`,
    'other-session',
  );
}
