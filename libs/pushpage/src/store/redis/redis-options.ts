import type { ClusterOptions, RedisOptions } from 'ioredis';

/** The longest wait between two attempts to reconnect to Redis. */
const RECONNECT_MAX_MS = 1000;
/** How long a connection attempt may take before it counts as failed. */
const CONNECT_TIMEOUT_MS = 3000;
/** A connection whose commands get no answer for this long is dropped and made again. */
const SOCKET_TIMEOUT_MS = 5000;
/** The longest a store call waits for its answer (a Redis that accepts but does not answer). */
const STORE_COMMAND_TIMEOUT_MS = 5000;
/** Reconnection attempts a command waits through while Redis is unreachable before it fails. */
const OUTAGE_ATTEMPTS = 3;
/**
 * On a Redis Cluster, the wait before a command is sent again after its node was lost
 * (`Connection is closed`) or the cluster said `CLUSTERDOWN` or `TRYAGAIN`; and how many times
 * it is sent again before it fails, redirections included. A command for a lost master
 * alternates between the two when another node redirects it there (`MOVED`, at once), so it
 * fails after 10 to 20 waits: 2 to 4 s.
 */
const CLUSTER_RETRY_DELAY_MS = 200;
const CLUSTER_RETRIES = 20;

/** Reconnect at once, then back off to one attempt a second, with a little jitter. */
function reconnectDelay(attempt: number): number {
  return (
    Math.min(50 * 2 ** Math.min(attempt - 1, 10), RECONNECT_MAX_MS) + Math.floor(Math.random() * 50)
  );
}

/** The per-connection settings every Pushpage connection has, to one Redis or a cluster node. */
function nodeConnectionOptions(): Pick<RedisOptions, 'connectTimeout' | 'socketTimeout'> {
  return { connectTimeout: CONNECT_TIMEOUT_MS, socketTimeout: SOCKET_TIMEOUT_MS };
}

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
    maxRetriesPerRequest: OUTAGE_ATTEMPTS - 1,
    retryStrategy: reconnectDelay,
    ...nodeConnectionOptions(),
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

/** ioredis' `Cluster` keeps the commands given while it reconnects in a queue its types hide. */
interface OfflineQueueOwner {
  flushQueue(error: Error): void;
}

function ownsOfflineQueue(value: unknown): value is OfflineQueueOwner {
  return typeof (value as Partial<OfflineQueueOwner> | undefined)?.flushQueue === 'function';
}

/**
 * Called by ioredis' `Cluster` (as `this`) when it lost every node: reconnect like a single
 * connection does and, every third attempt, fail the commands waiting for it, as a single
 * connection's `maxRetriesPerRequest` does (the cluster has no such setting and would hold
 * them until it is back). Without that internal (another ioredis), they wait.
 */
function clusterRetryStrategy(this: unknown, attempt: number): number {
  if (attempt % OUTAGE_ATTEMPTS === 0 && ownsOfflineQueue(this)) {
    this.flushQueue(
      new Error(`Redis Cluster unreachable after ${attempt} attempts to reconnect to it`),
    );
  }
  return reconnectDelay(attempt);
}

/**
 * {@link redisConnectionOptions} for an ioredis `Cluster`, which reconnects in two ways. When
 * one node is lost (a master crashed, a failover under way) the cluster stays up: a command
 * for that node's slots is sent again every 200 ms, after the cluster's slot map is read
 * again, until a replica has taken over, and fails after about 3 s (20 retries, redirections
 * included: 2 to 4 s), so callers get a prompt `unavailable` while the failover takes longer
 * (Redis notices a crashed master only after `cluster-node-timeout`). `CLUSTERDOWN` and `TRYAGAIN`
 * replies are retried the same way. When every node is lost, the cluster reconnects at once
 * and then every second at most, and a command given meanwhile waits through at most three
 * attempts. Each node's connection has the single-connection timeouts (3 s to connect, 5 s
 * without an answer); commands go to masters only (`scaleReads: 'master'`), since a replica
 * may lag behind.
 */
export function clusterConnectionOptions(): ClusterOptions {
  return {
    clusterRetryStrategy,
    scaleReads: 'master',
    maxRedirections: CLUSTER_RETRIES,
    retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
    retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
    retryDelayOnTryAgain: CLUSTER_RETRY_DELAY_MS,
    redisOptions: nodeConnectionOptions(),
  };
}

/**
 * The ioredis `Cluster` options of the store's own Redis Cluster client, the counterpart of
 * {@link pushpageRedisOptions}: a command for a failed master is retried for about 3 s (it
 * succeeds if a replica has taken over by then, else it fails as `unavailable`), a command given
 * while no node is reachable fails after three reconnection attempts, commands go to
 * masters only, each is limited to 5 s, and they are pipelined automatically. Give them to
 * a `Cluster` you pass as the `redis` option for the same behaviour:
 * `new Cluster(seeds, pushpageClusterOptions())`; to add node settings (a password, TLS),
 * spread `redisOptions`:
 * `{ ...options, redisOptions: { ...options.redisOptions, password } }`.
 */
export function pushpageClusterOptions(): ClusterOptions {
  const options = clusterConnectionOptions();
  return {
    ...options,
    enableAutoPipelining: true,
    redisOptions: { ...options.redisOptions, commandTimeout: STORE_COMMAND_TIMEOUT_MS },
  };
}
