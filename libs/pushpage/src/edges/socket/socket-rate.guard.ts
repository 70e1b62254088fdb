import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { describeRule, RateLimitedError, RateLimits } from '../rate-limits';
import { tabOf } from './tab';

/**
 * Refuses a socket message over its tab's rate (`socketRateLimit` a second) or its session's
 * (three tabs' worth, all its tabs on this replica together) with `rate-limited`.
 */
@Injectable()
export class SocketRateGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const socket = context.switchToWs().getClient<Socket>();
    const tab = await this.limits.take('tabMessages', socket.id);
    if (!tab.allowed)
      throw new RateLimitedError(
        `too many messages: a tab may send ${describeRule(this.limits.rules.tabMessages)}`,
        tab,
      );
    const session = await this.limits.take('sessionMessages', tabOf(socket).sessionId ?? '');
    if (session.allowed) return true;
    throw new RateLimitedError(
      `too many messages: the tabs of a session may send ${describeRule(this.limits.rules.sessionMessages)} together`,
      session,
    );
  }
}

/** Counts a whole page sent to the socket's tab; throws `rate-limited` over the tab's rate. */
export async function takeWholePage(limits: RateLimits, socket: Socket): Promise<void> {
  const verdict = await limits.take('tabWholePages', socket.id);
  if (verdict.allowed) return;
  throw new RateLimitedError(
    `too many whole pages: a tab may be sent ${describeRule(limits.rules.tabWholePages)} (a ` +
      'join that is behind, a resync or a more each count); join with the versions it has',
    verdict,
  );
}
