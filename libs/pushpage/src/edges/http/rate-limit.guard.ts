import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { PushpageError } from '../../errors';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../../options';
import { SessionService } from '../../sessions/session.service';

/** The window of the REST rate limit. */
export const REST_RATE_WINDOW_MS = 1000;

/**
 * `@nestjs/throttler` for the REST API: `restRateLimit` requests a second per browser session
 * (a cookie this app signed), or per address (`req.ip`: the app's `trust proxy` decides
 * whether that is a proxy's or the client's) for callers without one, on this replica; over it,
 * `429 rate-limited`, which the API's error filter counts in the refusal metrics.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions,
    private readonly sessions: SessionService,
  ) {
    super(options, storage, reflector);
  }

  protected override handleRequest(request: ThrottlerRequest): Promise<boolean> {
    return super.handleRequest({
      ...request,
      limit: this.config.restRateLimit,
      ttl: REST_RATE_WINDOW_MS,
    });
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const headers = req.headers as Record<string, string | undefined>;
    // only a cookie this app signed: made-up ones would each get a budget of their own
    const session = this.sessions.fromCookieHeader(headers.cookie);
    return session ? `s:${session}` : `ip:${String(req.ip ?? '')}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext): Promise<void> {
    void context;
    throw new PushpageError(
      'rate-limited',
      `too many requests: at most ${this.config.restRateLimit} a second`,
    );
  }
}
