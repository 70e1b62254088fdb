import { Logger, Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { meteredStore } from '../ops/metered-store';
import { PushpageMetrics } from '../ops/metrics.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import { PUSHPAGE_STORE, PushpageStore } from './store';

/** Builds the store the options ask for: Redis with a URL, memory without. */
export function createStore(
  options: ResolvedPushpageOptions,
  metrics?: PushpageMetrics,
): PushpageStore {
  const logger = new Logger('Pushpage');
  if (!options.redisUrl) {
    logger.log('store: in memory (set REDIS_URL to share pages between replicas)');
    return new MemoryStore();
  }
  const redis = new Redis(options.redisUrl, {
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
  });
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
