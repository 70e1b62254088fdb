import { Injectable } from '@nestjs/common';
import { SessionService } from './session.service';

/**
 * Browser sessions, for your app: inject it where a session must end (a sign-out, an account
 * that was taken over, a support tool).
 *
 * ```ts
 * @Controller('account')
 * export class AccountController {
 *   constructor(private readonly sessions: PushpageSessions) {}
 *
 *   @Post('sign-out')
 *   async signOut(@Req() req: Request): Promise<void> {
 *     const session = this.sessions.sessionIdOf(req.headers.cookie);
 *     if (session) await this.sessions.revoke(session);
 *   }
 * }
 * ```
 *
 * In a handler the session is `msg.sessionId`; in a page's `render` it is `req.sessionId`.
 */
@Injectable()
export class PushpageSessions {
  constructor(private readonly sessions: SessionService) {}

  /**
   * Ends a session on every replica. When the promise resolves, the revocation is in the
   * store (for the sessions' maximum age) and every replica that answered the broadcast
   * refuses the session: its tabs' joins and messages and its REST requests get `forbidden`
   * (`session-unknown`, "revoked"), its open sockets are closed, and a page load with its
   * cookie starts a new session. A replica that did not answer within the adapter's timeout
   * (5 s; logged) reads the revocation from the store within 30 s. Its pages are not
   * deleted: no tab can show them any more, so they expire as pages without tabs do.
   * Revoking a session again, or an id that is no session, is harmless.
   */
  revoke(sessionId: string): Promise<void> {
    return this.sessions.revoke(sessionId);
  }

  /**
   * The session id in a request's `Cookie` header, if its session cookie is valid: signed
   * by this app, the only one in the header, and within the maximum age; `null` otherwise.
   * The store is not read, so an idle or revoked session is still returned.
   */
  sessionIdOf(cookieHeader: string | undefined): string | null {
    return this.sessions.fromCookieHeader(cookieHeader);
  }
}
