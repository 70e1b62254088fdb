import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { PushpageError } from '../errors';
import { PushpageMetrics } from '../ops/metrics.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { readCookie, SESSION_COOKIE } from '../pages/session';

const WINDOW_MS = 1000;

/**
 * Limits REST requests per browser session (the cookie), or per address for callers without
 * one, to `restRateLimit` a second on this replica; over it, `429 rate-limited`.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
    private readonly metrics: PushpageMetrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const session = readCookie(req.headers.cookie, SESSION_COOKIE);
    const key = session ? `s:${session.split('.')[0]}` : `ip:${req.ip ?? ''}`;
    const now = Date.now();
    if (this.windows.size > 50_000) {
      for (const [k, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(k);
    }
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS)
      this.windows.set(key, (window = { start: now, count: 0 }));
    if (++window.count > this.options.restRateLimit) {
      this.metrics.refusals.inc({ reason: 'rate-limited', transport: 'http' });
      throw new PushpageError(
        'rate-limited',
        `too many requests: at most ${this.options.restRateLimit} a second`,
      );
    }
    return true;
  }
}
