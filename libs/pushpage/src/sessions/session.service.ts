import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sessionEnded } from '../errors';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, settingName, usesRedis } from '../options';
import { PUSHPAGE_STORE, PushpageStore } from '../store/store';
import {
  cameOverHttps,
  CookieSession,
  readSession,
  sessionCookieHeader,
  SessionSigner,
  SignedSession,
} from './session';
import { SessionActivity } from './session-activity';

/** The store's name of the secret replicas agree on when none is configured. */
const AGREED_SECRET = 'session-secret';

/** Told when a session is revoked: `here` when this replica revoked it. */
export type RevocationListener = (sessionId: string, here: boolean) => Promise<void> | void;

/**
 * Issues and reads the signed session cookie, and decides whether a session may still be
 * used: within its maximum age (from the cookie), its idle limit and not revoked (from the
 * store, see {@link SessionActivity}). The secret comes from the options (a list rotates:
 * the first signs, every one verifies); without one, replicas sharing a store agree on a
 * random one through it, and a single in-memory process makes its own.
 */
@Injectable()
export class SessionService implements OnModuleInit {
  private readonly logger = new Logger('Pushpage');
  private signer: SessionSigner | undefined;
  private readonly activity: SessionActivity;
  private readonly revocationListeners: RevocationListener[] = [];
  private readonly cookiesByRequest = new WeakMap<IncomingMessage, CookieSession>();

  constructor(
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
  ) {
    this.activity = new SessionActivity(store, {
      idleMs: options.sessionIdleMs,
      keepMs: options.sessionMaxAgeMs,
      revokedFound: (sessionId) => this.learnRevoked(sessionId),
      warn: (message) => this.logger.warn(message),
    });
    const setting = settingName(options, 'sessionSecret');
    if (options.sessionSecrets.length === 0 && process.env.NODE_ENV === 'production') {
      throw new Error(
        `${setting} is required in production: sessions must be signed alike on every replica ` +
          'and survive restarts (generate one with `openssl rand -base64 32`)',
      );
    }
    if (options.sessionSecrets.length > 0) this.signer = new SessionSigner(options.sessionSecrets);
  }

  async onModuleInit(): Promise<void> {
    if (this.signer) return;
    const setting = settingName(this.options, 'sessionSecret');
    const own = randomBytes(32).toString('base64url');
    if (!usesRedis(this.options)) {
      this.signer = new SessionSigner([own]);
      this.logger.warn(
        `${setting} is not set: sessions are signed with a random secret of this process ` +
          '(fine for one process; they end when it restarts)',
      );
      return;
    }
    const agreed = await this.store.agreeOn(AGREED_SECRET, own);
    this.signer = new SessionSigner([agreed]);
    this.logger.log(
      `${setting} is not set: sessions are signed with a secret ` +
        `${agreed === own ? 'this replica created in' : 'read from'} the shared store, ` +
        `which every replica on it uses (set ${setting} before production)`,
    );
    this.store.onReconnect(() => void this.agreeAgain(agreed));
  }

  /**
   * After the store was away it may have come back empty: the replicas that were running
   * put their secret back, and a replica that adopted another one meanwhile (started while
   * the store was empty) signs with the stored one and still accepts its own.
   */
  private async agreeAgain(ours: string): Promise<void> {
    try {
      const agreed = await this.store.agreeOn(AGREED_SECRET, ours);
      if (agreed === ours) return;
      this.signer = new SessionSigner([agreed, ours]);
      this.logger.warn(
        'the shared store holds a session secret another replica created while it was ' +
          'emptied: signing with that one now, and still accepting cookies signed before',
      );
    } catch (error) {
      this.logger.warn(
        `the shared session secret could not be checked again: ${(error as Error).message}`,
      );
    }
  }

  /**
   * The session of a page load (or of `POST` to the REST API, which opens a page): the
   * request's own if it may be used, else a new one, with its cookie set on `res` (which
   * replaces the refused one: an expired, idle, revoked or ambiguous session starts over).
   */
  async sessionOf(req: IncomingMessage, res: ServerResponse): Promise<string> {
    return (await this.sessionStartOf(req, res)).id;
  }

  /** As {@link sessionOf}, with when the session started (ms since the epoch). */
  async sessionStartOf(req: IncomingMessage, res: ServerResponse): Promise<SignedSession> {
    const cookie = this.requestCookie(req);
    if (
      cookie.state === 'valid' &&
      (await this.activity.check(cookie.id, cookie.issuedAt)) === 'active'
    )
      return { id: cookie.id, issuedAt: cookie.issuedAt };
    const id = this.ready.newSessionId();
    const issuedAt = Date.now();
    const secure = this.options.secureCookies;
    res.setHeader(
      'Set-Cookie',
      sessionCookieHeader(
        this.ready.sign(id, issuedAt),
        secure === 'auto' ? cameOverHttps(req) : secure,
      ),
    );
    this.activity.started(id, issuedAt);
    return { id, issuedAt };
  }

  /** What a `Cookie` header's session cookie says, from the cookie alone (no store read). */
  cookieSession(header: string | undefined): CookieSession {
    return readSession(this.ready, header, this.options.sessionMaxAgeMs, Date.now());
  }

  /**
   * {@link cookieSession} of a request's `Cookie` header, verified once per request however
   * many steps ask (the rate limit, the session guard, the route).
   */
  requestCookie(req: IncomingMessage): CookieSession {
    let cookie = this.cookiesByRequest.get(req);
    if (!cookie) this.cookiesByRequest.set(req, (cookie = this.cookieSession(req.headers.cookie)));
    return cookie;
  }

  /** The session id of a request's valid session cookie, or `null` (see {@link requestCookie}). */
  requestSessionId(req: IncomingMessage): string | null {
    const cookie = this.requestCookie(req);
    return cookie.state === 'valid' ? cookie.id : null;
  }

  /**
   * The session id in a `Cookie` header if its cookie is valid: signed by a configured
   * secret, alone, within the maximum age. The store is not read (see {@link checkRequest}).
   */
  fromCookieHeader(header: string | undefined): string | null {
    const cookie = this.cookieSession(header);
    return cookie.state === 'valid' ? cookie.id : null;
  }

  /**
   * At a REST request or a socket's join: `null` for a request without a valid session
   * cookie (as before: shared pages only), the session if it may be used (its use is
   * recorded); throws `forbidden` (`session-unknown`) for a cookie that is refused, or a
   * session that is idle or revoked. Reads the store at most once per session and replica
   * every 30 s (see `SessionActivity`).
   */
  async checkRequest(cookie: CookieSession): Promise<string | null> {
    if (cookie.state === 'none') return null;
    if (cookie.state === 'refused') throw sessionEnded(cookie.why);
    // a socket's cookie was read at its handshake, maybe long ago
    if (Date.now() - cookie.issuedAt >= this.options.sessionMaxAgeMs) throw sessionEnded('too-old');
    const verdict = await this.activity.check(cookie.id, cookie.issuedAt);
    if (verdict !== 'active') throw sessionEnded(verdict);
    return cookie.id;
  }

  /**
   * At a message on a socket whose cookie held this session: throws as {@link checkRequest}
   * once it is past its maximum age, idle or revoked. From memory, without a store read
   * unless the session looks idle.
   */
  async checkMessage(sessionId: string, issuedAt: number): Promise<void> {
    if (Date.now() - issuedAt >= this.options.sessionMaxAgeMs) throw sessionEnded('too-old');
    const verdict = await this.activity.checkMessage(sessionId, issuedAt);
    if (verdict !== 'active') throw sessionEnded(verdict);
  }

  /**
   * Revokes a session: marks it in the store (kept for the maximum age), at once on this
   * replica, then tells the listeners (the gateway closes the session's sockets and tells the
   * other replicas) and waits for them.
   */
  async revoke(sessionId: string): Promise<void> {
    await this.store.revokeSession(sessionId, Date.now(), this.options.sessionMaxAgeMs);
    // its storage (`msg.storage.user`) goes with it; its tabs' storage expires unreachable
    await this.store.storageDrop({ session: sessionId });
    this.activity.revoked(sessionId);
    await Promise.all(this.revocationListeners.map((listener) => listener(sessionId, true)));
  }

  /** Another replica revoked a session (or the store says so): refuse it here too. */
  learnRevoked(sessionId: string): void {
    this.activity.revoked(sessionId);
    for (const listener of this.revocationListeners) {
      Promise.resolve(listener(sessionId, false)).catch((error: unknown) =>
        this.logger.warn(
          `closing a revoked session's sockets: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }

  /** Calls `listener` on every revocation this replica makes or learns of. */
  onRevoked(listener: RevocationListener): void {
    this.revocationListeners.push(listener);
  }

  private get ready(): SessionSigner {
    if (!this.signer) throw new Error('sessions are used before the module initialised');
    return this.signer;
  }
}
