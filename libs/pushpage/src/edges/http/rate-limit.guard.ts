import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SessionService } from '../../sessions/session.service';
import { describeRule, RateLimitedError, RateLimits } from '../rate-limits';

/**
 * The REST rate limit: `restRateLimit` requests a second per browser session (a cookie this
 * app signed), or per address (`req.ip`: the app's `trust proxy` decides whether that is a
 * proxy's or the client's) for callers without one, every replica together when the store is
 * on Redis. Every answer says the budget (`X-RateLimit-Limit`, `-Remaining`, `-Reset`); over
 * it, `429 rate-limited` with `Retry-After`, which the API's error filter counts in the
 * refusal metrics.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limits: RateLimits,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    // only a cookie this app signed: made-up ones would each get a budget of their own
    const session = this.sessions.requestSessionId(req);
    const verdict = await this.limits.take(
      'restRequests',
      session ? `s:${session}` : `ip:${req.ip ?? ''}`,
    );
    res.setHeader('X-RateLimit-Limit', verdict.limit);
    res.setHeader('X-RateLimit-Remaining', verdict.remaining);
    res.setHeader('X-RateLimit-Reset', Math.ceil(verdict.resetMs / 1000));
    if (verdict.allowed) return true;
    throw new RateLimitedError(
      `too many requests: at most ${describeRule(this.limits.rules.restRequests)}`,
      verdict,
    );
  }
}
