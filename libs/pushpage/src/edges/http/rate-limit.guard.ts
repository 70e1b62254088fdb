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
import { readCookie, SESSION_COOKIE } from '../../sessions/session';

/** The window of the REST rate limit. */
export const REST_RATE_WINDOW_MS = 1000;

/**
 * `@nestjs/throttler` for the REST API: `restRateLimit` requests a second per browser session
 * (the cookie), or per address for callers without one, on this replica; over it,
 * `429 rate-limited`, which the API's error filter counts in the refusal metrics.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions,
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
    const session = readCookie(headers.cookie, SESSION_COOKIE);
    return session ? `s:${session.split('.')[0]}` : `ip:${String(req.ip ?? '')}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext): Promise<void> {
    void context;
    throw new PushpageError(
      'rate-limited',
      `too many requests: at most ${this.config.restRateLimit} a second`,
    );
  }
}
