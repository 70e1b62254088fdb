import { Logger, Provider } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import { meteredStore } from '../ops/metered-store';
import { PushpageMetrics } from '../ops/metrics.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, settingName } from '../options';
import { ClusterSeed, describeSeeds, isCluster } from './redis/cluster-seeds';
import { MemoryStore } from './memory/memory-store';
import { pushpageClusterOptions, pushpageRedisOptions } from './redis/redis-options';
import { RedisStore } from './redis/redis-store';
import { PUSHPAGE_STORE, PushpageStore } from './store';

/**
 * Builds the store the options ask for: Redis with a URL, cluster seeds or a client; memory
 * without.
 */
export function createStore(
  options: ResolvedPushpageOptions,
  metrics?: PushpageMetrics,
): PushpageStore {
  const logger = new Logger('Pushpage');
  if (options.redis) {
    logger.log(`store: ${describeClient(options.redis)}, on the client given`);
    return new RedisStore(options.redis, options.keyPrefix, false);
  }
  if (options.redisClusterNodes) {
    const cluster = storeCluster(options.redisClusterNodes, logger, metrics);
    logger.log(`store: redis cluster at ${describeSeeds(options.redisClusterNodes)}`);
    return new RedisStore(cluster, options.keyPrefix);
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

/** The store's own Redis Cluster client, its connection errors counted and logged. */
function storeCluster(
  seeds: readonly ClusterSeed[],
  logger: Logger,
  metrics: PushpageMetrics | undefined,
): Cluster {
  const cluster = new Cluster([...seeds], pushpageClusterOptions());
  // `error`: the cluster as a whole (no node reachable); `node error`: one node's connection
  cluster.on('error', (error: Error) => {
    metrics?.redisErrors.inc({ source: 'store connection' });
    logger.warn(`redis cluster: ${error.message}`);
  });
  cluster.on('node error', (error: Error, node: string) => {
    metrics?.redisErrors.inc({ source: 'store connection' });
    logger.warn(`redis cluster node ${node}: ${error.message}`);
  });
  return cluster;
}

/** Where a client given in the options connects, for the log. */
function describeClient(client: Redis | Cluster): string {
  if (isCluster(client)) {
    // the nodes it is connected to; none yet while it connects
    const nodes = client.nodes().map(({ options }) => `${options.host}:${options.port}`);
    return nodes.length > 0 ? `redis cluster at ${nodes.join(',')}` : 'redis cluster';
  }
  const { host, port } = client.options;
  return `redis at ${host ?? 'localhost'}:${port ?? 6379}`;
}

/** @internal */
export const storeProvider: Provider = {
  provide: PUSHPAGE_STORE,
  inject: [PUSHPAGE_CONFIG, PushpageMetrics],
  useFactory: (options: ResolvedPushpageOptions, metrics: PushpageMetrics) =>
    meteredStore(createStore(options, metrics), metrics),
};
