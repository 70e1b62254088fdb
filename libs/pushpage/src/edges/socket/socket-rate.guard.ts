import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { PushpageError } from '../../errors';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../../options';
import { TokenBucket, TokenBuckets } from '../token-bucket';
import { tabOf } from './tab';

/**
 * Whole pages one tab may be sent, against its message rate: one for every 20 messages (one
 * a second at the default 20), five seconds' worth at once (a reconnect, a few gaps).
 */
const WHOLE_PAGES = { perMessages: 20, burstSeconds: 5 } as const;

/** One tab's rates: the messages it may send, the whole pages it may be sent. */
export class TabRates {
  private readonly messages: TokenBucket;
  private readonly wholePages: TokenBucket;
  private readonly wholePagesPerSecond: number;

  constructor(messagesPerSecond: number) {
    this.messages = new TokenBucket(messagesPerSecond);
    this.wholePagesPerSecond = messagesPerSecond / WHOLE_PAGES.perMessages;
    this.wholePages = new TokenBucket(
      this.wholePagesPerSecond,
      this.wholePagesPerSecond * WHOLE_PAGES.burstSeconds,
    );
  }

  /** Takes a message from the tab's rate if there is one left. */
  takeMessage(): boolean {
    return this.messages.take();
  }

  /** Refuses a whole page (a join that is behind, a resync, a `more`) over the tab's rate. */
  takeWholePage(): void {
    if (this.wholePages.take()) return;
    throw new PushpageError(
      'rate-limited',
      `too many whole pages: a tab may be sent ${this.wholePagesPerSecond} a second (a join ` +
        'that is behind, a resync or a more each count); join with the versions it has',
    );
  }
}

/**
 * Refuses a socket message over its tab's rate (`socketRateLimit` a second) or its session's
 * (three tabs' worth, all its tabs on this replica together) with `rate-limited`.
 */
@Injectable()
export class SocketRateGuard implements CanActivate {
  private readonly sessions: TokenBuckets;

  constructor(@Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions) {
    this.sessions = new TokenBuckets(config.socketRateLimit * 3);
  }

  canActivate(context: ExecutionContext): boolean {
    const tab = tabOf(context.switchToWs().getClient<Socket>());
    if (tab.rates.takeMessage() && this.sessions.take(tab.sessionId ?? '')) return true;
    throw new PushpageError(
      'rate-limited',
      `too many messages: a tab may send ${this.config.socketRateLimit} a second`,
    );
  }
}
