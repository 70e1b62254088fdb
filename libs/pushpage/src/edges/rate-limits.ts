import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { PushpageError } from '../errors';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import type { RedisClient } from '../store/redis/redis-client';
import { PUSHPAGE_STORE, PushpageStore } from '../store/store';

/**
 * Where a limit counts. `replica`: in this process, for a tab's socket (it lives on one replica,
 * so the count is exact and costs no round trip). `cluster`: in the store's Redis when the
 * store is on Redis, so the count holds whichever replica a load balancer picks; in this
 * process on the memory store (one process).
 */
export type RateScope = 'replica' | 'cluster';

/**
 * A limit: at most `points` in any window of `windowSeconds` (a fixed window, counted from its
 * first use), which is also the largest burst. The average rate is `points / windowSeconds`.
 */
export interface RateRule {
  readonly points: number;
  readonly windowSeconds: number;
  readonly scope: RateScope;
}

/** What taking from a limit found. */
export interface RateVerdict {
  readonly allowed: boolean;
  /** The limit's `points`. */
  readonly limit: number;
  /** What is left in the current window. */
  readonly remaining: number;
  /** Milliseconds until the window starts again. */
  readonly resetMs: number;
}

/** A limit's counts: in this process, and in Redis for a `cluster` limit on Redis. */
interface Counts {
  readonly local: RateLimiterMemory;
  readonly shared?: RateLimiterRedis;
}

/** ioredis statuses of a connection that was lost and is being made again (or given up). */
const LOST = new Set(['reconnecting', 'close', 'end']);

/** Whole pages one tab may be sent: a twentieth of its messages, five seconds' worth at once. */
const WHOLE_PAGES = { perMessages: 20, windowSeconds: 5 } as const;
/** A session's tabs together may send as much as three tabs. */
const SESSION_TABS = 3;
/** New pages one address may open: 30 seconds' worth at once. */
const PAGE_BURST_SECONDS = 30;

/** The window that holds `burstSeconds` of `perSecond`, at least one whole second and one point. */
function ruleOf(perSecond: number, burstSeconds: number, scope: RateScope): RateRule {
  const windowSeconds = Math.max(1, Math.round(burstSeconds), Math.ceil(1 / perSecond));
  return { points: Math.max(1, Math.round(perSecond * windowSeconds)), windowSeconds, scope };
}

/** Every limit Pushpage applies, from the options. */
export function rateRules(options: ResolvedPushpageOptions) {
  const messages = options.socketRateLimit;
  return {
    /** Socket messages of one tab (joins, events, edits, resyncs, mores): two seconds' worth. */
    tabMessages: ruleOf(messages, 2, 'replica'),
    /** Socket messages of one session's tabs on this replica together. */
    sessionMessages: ruleOf(messages * SESSION_TABS, 2, 'replica'),
    /** Whole pages sent to one tab (a join that is behind, a resync, a `more`). */
    tabWholePages: ruleOf(messages / WHOLE_PAGES.perMessages, WHOLE_PAGES.windowSeconds, 'replica'),
    /** REST requests of one session (or address, without a session cookie), every replica together. */
    restRequests: ruleOf(options.restRateLimit, 1, 'cluster'),
    /** New pages (page loads, REST `POST`s) from one client address, every replica together. */
    newPages: ruleOf(options.pageRateLimit, PAGE_BURST_SECONDS, 'cluster'),
  } satisfies Record<string, RateRule>;
}

/** The names of Pushpage's limits. */
export type RateLimitName = keyof ReturnType<typeof rateRules>;

/**
 * Every rate limit of the socket and REST edges, one library (`rate-limiter-flexible`) with
 * one kind of rule ({@link RateRule}). Limits of a tab count in this process; limits that a
 * load balancer would otherwise multiply by the number of replicas (REST requests, new pages)
 * count in the store's Redis, cluster-wide, with a count in this process standing in while
 * Redis cannot be reached (the store then answers 503 anyway).
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger('Pushpage');
  readonly rules: ReturnType<typeof rateRules>;
  /** Per limit: its count in this process, and in Redis for a `cluster` limit on Redis. */
  private readonly limiters: Record<RateLimitName, Counts>;
  private readonly redis: RedisClient | undefined;

  constructor(
    @Inject(PUSHPAGE_CONFIG) options: ResolvedPushpageOptions,
    @Inject(PUSHPAGE_STORE) store: PushpageStore,
  ) {
    this.rules = rateRules(options);
    const redis = (this.redis = store.redisClient);
    const counts = (name: RateLimitName): Counts => {
      const { points, windowSeconds: duration, scope } = this.rules[name];
      const keyPrefix = `${options.keyPrefix}rl:${name}`;
      const local = new RateLimiterMemory({ points, duration, keyPrefix });
      if (scope === 'replica' || !redis) return { local };
      // a command that fails (Redis went away mid-way) is counted here instead
      const shared = new RateLimiterRedis({
        storeClient: redis,
        points,
        duration,
        keyPrefix,
        insuranceLimiter: local,
      });
      return { local, shared };
    };
    this.limiters = {
      tabMessages: counts('tabMessages'),
      sessionMessages: counts('sessionMessages'),
      tabWholePages: counts('tabWholePages'),
      restRequests: counts('restRequests'),
      newPages: counts('newPages'),
    };
  }

  /** Takes one from `name`'s count for `key`; says whether it was there to take. */
  async take(name: RateLimitName, key: string): Promise<RateVerdict> {
    const limit = this.rules[name].points;
    try {
      const res = await this.countsNow(name).consume(key);
      return { allowed: true, limit, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) {
        // neither Redis nor the stand-in answered: let the request through, say so once a minute
        this.warnFailure(refusal);
        return { allowed: true, limit, remaining: limit, resetMs: 0 };
      }
      return { allowed: false, limit, remaining: 0, resetMs: refusal.msBeforeNext };
    }
  }

  /**
   * Redis while it is connected or still connecting at start (the command waits for it);
   * this process's count while the connection is lost, rather than wait out the reconnection.
   */
  private countsNow(name: RateLimitName): RateLimiterAbstract {
    const { local, shared } = this.limiters[name];
    return shared && !LOST.has(this.redis?.status ?? '') ? shared : local;
  }

  private lastWarning = 0;

  private warnFailure(error: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(
      `rate limits: could not count (${error instanceof Error ? error.message : String(error)}); letting requests through`,
    );
  }
}

/** The `rate-limited` refusal of a verdict, with when to try again. */
export class RateLimitedError extends PushpageError {
  /** Whole seconds until the limit's window starts again (at least 1). */
  readonly retryAfterSeconds: number;

  constructor(message: string, verdict: RateVerdict) {
    super('rate-limited', message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(verdict.resetMs / 1000));
  }
}

/** A rule as people read it: "100 a second", "40 every 2 seconds". */
export function describeRule({ points, windowSeconds }: RateRule): string {
  return windowSeconds === 1 ? `${points} a second` : `${points} every ${windowSeconds} seconds`;
}
