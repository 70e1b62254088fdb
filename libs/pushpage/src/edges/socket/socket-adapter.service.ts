import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { Namespace, Server } from 'socket.io';
import { PushpageMetrics } from '../../ops/metrics.service';
import { BroadcastLink } from '../../ops/readiness.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../../options';
import { isCluster } from '../../store/redis/cluster-seeds';
import { clusterConnectionOptions, redisConnectionOptions } from '../../store/redis/redis-options';
import { closeClient } from '../../store/redis/redis-client';
import { requestAllowed } from '../origin';
import { withSafeServerSideEmit, withoutUnhandledRejections } from './adapter-guards';

/** A client of one Redis or of a Redis Cluster. */
type RedisClient = Redis | Cluster;

/** The adapter's two connections: one publishes, the other subscribes. */
interface AdapterClients {
  pub: RedisClient;
  sub: RedisClient;
}

/**
 * The adapter's settings, which override what a given client may set: no automatic
 * pipelining (pipelined commands bypass withoutUnhandledRejections) and no command timeout.
 */
function adapterRedisOptions(): RedisOptions {
  return { ...redisConnectionOptions(), enableAutoPipelining: false, commandTimeout: undefined };
}

/** {@link adapterRedisOptions} for a Redis Cluster client. */
function adapterClusterOptions(): ClusterOptions {
  const options = clusterConnectionOptions();
  return {
    ...options,
    enableAutoPipelining: false,
    redisOptions: { ...options.redisOptions, commandTimeout: undefined },
  };
}

/**
 * Sets up the gateway's Socket.IO server: its message size limit, the Origin check of its
 * handshakes and, with Redis, the Socket.IO Redis adapter under it, so an emit to a room
 * reaches that room's tabs on every replica: classic or sharded pub/sub on one Redis, sharded
 * pub/sub (`SPUBLISH`/`SSUBSCRIBE`, each channel on the node serving its slot) on a Redis
 * Cluster. A service the gateway calls rather than an `IoAdapter`, which every app would have
 * to install with `app.useWebSocketAdapter()`.
 */
@Injectable()
export class SocketAdapterService implements BroadcastLink, OnApplicationShutdown {
  private readonly logger = new Logger('Pushpage');
  private clients: RedisClient[] = [];

  constructor(
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
    private readonly metrics: PushpageMetrics,
  ) {}

  /** Whether the adapter's subscriber connection is up (`none` without Redis). */
  state(): 'subscribed' | 'not subscribed' | 'none' {
    const sub = this.clients[1];
    if (!sub) return 'none';
    return sub.status === 'ready' ? 'subscribed' : 'not subscribed';
  }

  /** Sets a server up (see the class); Nest calls the gateway's `afterInit` with it. */
  install(server: Server): void {
    // larger messages close the socket before anything reads them
    server.engine.opts.maxHttpBufferSize = this.options.maxMessageBytes;
    server.engine.opts.allowRequest = (req, answer) => {
      const allowed = requestAllowed(req, this.options);
      if (!allowed) this.metrics.refusals.inc({ reason: 'origin', transport: 'socket' });
      answer(allowed ? null : 'this origin may not connect', allowed);
    };
    this.installRedisAdapter(server);
  }

  /** Puts the Redis adapter under a server; without Redis the in-process adapter stays. */
  private installRedisAdapter(server: Server): void {
    const connections = this.clusterConnections() ?? this.redisConnections();
    if (!connections) return;
    const { pub, sub } = connections;
    const count = (e: Error, node?: string): void => {
      this.metrics.redisErrors.inc({ source: 'adapter connection' });
      this.logger.warn(`redis adapter${node ? ` node ${node}` : ''}: ${e.message}`);
    };
    // not counted: the connection's errors are, and the handshake's optional commands
    // (CLIENT SETINFO before Redis 7.2) fail by design
    const uncounted = (e: Error): void => this.logger.debug?.(`redis adapter: ${e.message}`);
    for (const client of [pub, sub]) {
      client.on('error', (e: Error) => count(e));
      // a cluster's `error` is about the whole cluster, `node error` about one node
      if (isCluster(client)) client.on('node error', count);
      withoutUnhandledRejections(client, uncounted);
    }
    this.clients = [pub, sub];
    const channel = `${this.options.keyPrefix}socket.io`;
    const factory: (nsp: Namespace) => Namespace['adapter'] =
      this.options.adapter === 'sharded'
        ? createShardedAdapter(pub, sub, { channelPrefix: channel })
        : createAdapter(pub, sub, { key: channel });
    server.adapter(withSafeServerSideEmit(factory, uncounted));
    const on = isCluster(pub) ? 'a Redis Cluster' : 'Redis';
    this.logger.log(`socket.io: ${this.options.adapter} Redis adapter, on ${on}`);
  }

  /**
   * On a Redis Cluster (seed nodes or a `Cluster` given): a client that publishes
   * (`SPUBLISH` goes to the master of the channel's slot) and one that subscribes with
   * `shardedSubscribers`, which keeps one subscriber connection per master and sends each
   * `SSUBSCRIBE` to the master of its channel's slot, following the slots when they move.
   */
  private clusterConnections(): AdapterClients | undefined {
    const { redis, redisClusterNodes } = this.options;
    // the publisher SPUBLISHes on the ordinary node connections: no subscriber connections
    const options = { ...adapterClusterOptions(), shardedSubscribers: false };
    if (redisClusterNodes) {
      const seeds = [...redisClusterNodes];
      return {
        pub: new Cluster(seeds, options),
        sub: new Cluster(seeds, { ...options, shardedSubscribers: true }),
      };
    }
    if (!redis || !isCluster(redis)) return undefined;
    return {
      pub: redis.duplicate([], options),
      sub: redis.duplicate([], { ...options, shardedSubscribers: true }),
    };
  }

  /**
   * On one Redis: a connection to publish on, from the URL or a duplicate of the client given,
   * and a duplicate of that to subscribe on.
   */
  private redisConnections(): AdapterClients | undefined {
    const { redis, redisUrl } = this.options;
    const options = adapterRedisOptions();
    let pub: Redis | undefined;
    if (redis && !isCluster(redis)) pub = redis.duplicate(options);
    else if (redisUrl) pub = new Redis(redisUrl, options);
    return pub ? { pub, sub: pub.duplicate() } : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.clients.map(closeClient));
  }
}
