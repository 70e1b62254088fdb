import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { PushpageMetrics } from '../ops/metrics.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { closeClient } from '../store/redis-store';
import { redisConnectionOptions } from '../store/store.provider';

/**
 * Marks every command promise of the client as handled. The adapter sends commands without
 * waiting for them (a broadcast's `PUBLISH`, a dynamic `SSUBSCRIBE`); while Redis is down
 * those fail, and an unhandled rejection would end the process. Callers that wait for a
 * command still get its error.
 */
function withoutUnhandledRejections(client: Redis, failed: (error: Error) => void): void {
  const send = client.sendCommand.bind(client);
  client.sendCommand = (...args: Parameters<Redis['sendCommand']>): unknown => {
    const result = send(...args);
    if (result instanceof Promise) result.catch(failed);
    return result;
  };
}

/**
 * With a Redis URL, puts the Socket.IO Redis adapter (classic or sharded pub/sub) under the
 * gateway's server, so an emit to a room reaches that room's tabs on every replica.
 */
@Injectable()
export class SocketAdapterService implements OnApplicationShutdown {
  private readonly logger = new Logger('Pushpage');
  private clients: Redis[] = [];

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

  /** Installs the adapter on a server; without Redis the in-process adapter stays. */
  install(server: Server): void {
    const pub = this.publisherConnection();
    if (!pub) return;
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      client.on('error', (e: Error) => {
        this.metrics.redisErrors.inc({ source: 'adapter connection' });
        this.logger.warn(`redis adapter: ${e.message}`);
      });
      // not counted: the connection's errors are, and the handshake's optional commands
      // (CLIENT SETINFO before Redis 7.2) fail by design
      withoutUnhandledRejections(client, (e: Error) =>
        this.logger.debug?.(`redis adapter: ${e.message}`),
      );
    }
    this.clients = [pub, sub];
    const channel = `${this.options.keyPrefix}socket.io`;
    server.adapter(
      this.options.adapter === 'sharded'
        ? createShardedAdapter(pub, sub, { channelPrefix: channel })
        : createAdapter(pub, sub, { key: channel }),
    );
    this.logger.log(`socket.io: ${this.options.adapter} Redis adapter`);
  }

  /**
   * A new connection to publish on: from the URL, or a duplicate of the client given. Either
   * way with the adapter's settings, which override what a given client may set: no automatic
   * pipelining (pipelined commands bypass withoutUnhandledRejections) and no command timeout.
   */
  private publisherConnection(): Redis | undefined {
    const { redis, redisUrl } = this.options;
    const options = {
      ...redisConnectionOptions(),
      enableAutoPipelining: false,
      commandTimeout: undefined,
    };
    if (redis) return redis.duplicate(options);
    return redisUrl ? new Redis(redisUrl, options) : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.clients.map(closeClient));
  }
}
