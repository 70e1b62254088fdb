import { Logger, Provider } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { meteredStore } from '../ops/metered-store';
import { PushpageMetrics } from '../ops/metrics.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, settingName } from '../options';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import { PUSHPAGE_STORE, PushpageStore } from './store';

/** The longest wait between two attempts to reconnect to Redis. */
const RECONNECT_MAX_MS = 1000;
/** A connection whose commands get no answer for this long is dropped and made again. */
const SOCKET_TIMEOUT_MS = 5000;
/** The longest a store call waits for its answer (a Redis that accepts but does not answer). */
const STORE_COMMAND_TIMEOUT_MS = 5000;

/**
 * How every Pushpage Redis connection (the store's, the Socket.IO adapter's) behaves when
 * Redis goes away: it reconnects by itself, first at once and then every second at most (so
 * service resumes within about a second of Redis coming back); a command issued while it is
 * down waits through at most three reconnection attempts (about 3 s) before it fails, so
 * callers get a prompt `unavailable` instead of hanging; and a connection that stops
 * answering (Redis hung, a network partition) is dropped after 5 s and made again. (ioredis'
 * defaults wait up to 5 s between attempts and fail a command only after 20 of them, which
 * held requests for well over 10 s, and never give up on a silent connection.)
 */
export function redisConnectionOptions(): RedisOptions {
  return {
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt: number) =>
      Math.min(50 * 2 ** Math.min(attempt - 1, 10), RECONNECT_MAX_MS) +
      Math.floor(Math.random() * 50),
    connectTimeout: 3000,
    socketTimeout: SOCKET_TIMEOUT_MS,
  };
}

/**
 * The ioredis options of the store's own connection: reconnect at once and then every second
 * at most, fail a command after about 3 s of outage rather than queue it, drop a connection
 * that stops answering after 5 s, limit each command to 5 s, and pipeline automatically.
 * Give them to a client you pass as the `redis` option for the same behaviour:
 * `new Redis(url, pushpageRedisOptions())`.
 */
export function pushpageRedisOptions(): RedisOptions {
  return {
    ...redisConnectionOptions(),
    // a store call fails (`unavailable`) rather than wait longer; Redis may still run it
    // later, which a tab's retry of the event survives (its receipt applies it once)
    commandTimeout: STORE_COMMAND_TIMEOUT_MS,
    enableAutoPipelining: true,
  };
}

/** Builds the store the options ask for: Redis with a URL or a client, memory without. */
export function createStore(
  options: ResolvedPushpageOptions,
  metrics?: PushpageMetrics,
): PushpageStore {
  const logger = new Logger('Pushpage');
  if (options.redis) {
    const { host, port } = options.redis.options;
    logger.log(`store: redis at ${host ?? 'localhost'}:${port ?? 6379}, on the client given`);
    return new RedisStore(options.redis, options.keyPrefix, false);
  }
  if (!options.redisUrl) {
    logger.log(
      `store: in memory (set ${settingName(options, 'redisUrl')} to share pages between replicas)`,
    );
    return new MemoryStore();
  }
  const redis = new Redis(options.redisUrl, pushpageRedisOptions());
  redis.on('error', (error: Error) => {
    metrics?.redisErrors.inc({ source: 'store connection' });
    logger.warn(`redis: ${error.message}`);
  });
  logger.log(`store: redis at ${new URL(options.redisUrl).host}`);
  return new RedisStore(redis, options.keyPrefix);
}

/** @internal */
export const storeProvider: Provider = {
  provide: PUSHPAGE_STORE,
  inject: [PUSHPAGE_CONFIG, PushpageMetrics],
  useFactory: (options: ResolvedPushpageOptions, metrics: PushpageMetrics) =>
    meteredStore(createStore(options, metrics), metrics),
};
