import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { readCookie, SESSION_COOKIE, sessionCookieHeader, SessionSigner } from './session';

/** Issues and reads the signed session cookie. */
@Injectable()
export class SessionService {
  private readonly signer: SessionSigner;

  constructor(@Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions) {
    let secret = options.sessionSecret;
    if (!secret && process.env.NODE_ENV === 'production') {
      throw new Error(
        'a session secret is required in production (PushpageModule option sessionSecret, ' +
          'PUSHPAGE_SESSION_SECRET in the demo): sessions must be signed alike on every replica',
      );
    }
    if (!secret) {
      secret = randomBytes(32).toString('base64url');
      new Logger('Pushpage').warn(
        'PUSHPAGE_SESSION_SECRET is not set: sessions are signed with a random secret of this process, ' +
          'so they do not survive a restart or work across replicas',
      );
    }
    this.signer = new SessionSigner(secret);
  }

  /** The session of a request; a new one (with its cookie set on `res`) if it has none. */
  sessionOf(req: Request, res: Response): string {
    const existing = this.fromCookieHeader(req.headers.cookie);
    if (existing) return existing;
    const id = this.signer.newSessionId();
    res.setHeader(
      'Set-Cookie',
      sessionCookieHeader(this.signer.sign(id), this.options.secureCookies),
    );
    return id;
  }

  /** The session id in a `Cookie` header, if it carries a valid one. */
  fromCookieHeader(header: string | undefined): string | null {
    return this.signer.verify(readCookie(header, SESSION_COOKIE));
  }
}
