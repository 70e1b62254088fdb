/**
 * The Redis setups the multi-replica suites run on: one redis-server, and a Redis Cluster of
 * three masters. Each gives the environment a replica needs to reach it.
 */
import { RedisCluster } from './redis-cluster';
import { RedisServer } from './redis-server';

/** A running Redis setup. */
export interface RunningBackend {
  /** `REDIS_URL` or `REDIS_CLUSTER_NODES` for the replicas */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A Redis setup a suite can start. */
export interface StoreBackend {
  name: string;
  start(): Promise<RunningBackend>;
}

export const ONE_REDIS: StoreBackend = {
  name: 'one Redis',
  async start() {
    const server = await RedisServer.start();
    return { env: { REDIS_URL: server.url }, stop: () => server.stop() };
  },
};

export const REDIS_CLUSTER: StoreBackend = {
  name: 'a 3-master Redis Cluster',
  async start() {
    const cluster = await RedisCluster.start({ masters: 3 });
    return { env: { REDIS_CLUSTER_NODES: cluster.seeds }, stop: () => cluster.dispose() };
  },
};

/** Both setups, for `describe.each`. */
export const STORE_BACKENDS: [string, StoreBackend][] = [ONE_REDIS, REDIS_CLUSTER].map((b) => [
  b.name,
  b,
]);
