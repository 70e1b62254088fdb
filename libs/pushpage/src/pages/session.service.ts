import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, settingName, usesRedis } from '../options';
import { PUSHPAGE_STORE, PushpageStore } from '../store/store';
import { readCookie, SESSION_COOKIE, sessionCookieHeader, SessionSigner } from './session';

/** The store's name of the secret replicas agree on when none is configured. */
const AGREED_SECRET = 'session-secret';

/**
 * Issues and reads the signed session cookie. The secret comes from the options (a list
 * rotates: the first signs, every one verifies); without one, replicas sharing a store agree
 * on a random one through it, and a single in-memory process makes its own.
 */
@Injectable()
export class SessionService implements OnModuleInit {
  private readonly logger = new Logger('Pushpage');
  private signer: SessionSigner | undefined;

  constructor(
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
  ) {
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

  /** The session of a request; a new one (with its cookie set on `res`) if it has none. */
  sessionOf(req: Request, res: Response): string {
    const existing = this.fromCookieHeader(req.headers.cookie);
    if (existing) return existing;
    const id = this.ready.newSessionId();
    res.setHeader(
      'Set-Cookie',
      sessionCookieHeader(this.ready.sign(id), this.options.secureCookies),
    );
    return id;
  }

  /** The session id in a `Cookie` header, if it carries a valid one. */
  fromCookieHeader(header: string | undefined): string | null {
    return this.ready.verify(readCookie(header, SESSION_COOKIE));
  }

  private get ready(): SessionSigner {
    if (!this.signer) throw new Error('sessions are used before the module initialised');
    return this.signer;
  }
}
