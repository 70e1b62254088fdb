import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { PushpageMetrics } from '../ops/metrics.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';

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
    const url = this.options.redisUrl;
    if (!url) return;
    const pub = new Redis(url, { maxRetriesPerRequest: 2 });
    const sub = pub.duplicate();
    for (const client of [pub, sub])
      client.on('error', (e: Error) => {
        this.metrics.redisErrors.inc({ source: 'adapter connection' });
        this.logger.warn(`redis adapter: ${e.message}`);
      });
    this.clients = [pub, sub];
    const channel = `${this.options.keyPrefix}socket.io`;
    server.adapter(
      this.options.adapter === 'sharded'
        ? createShardedAdapter(pub, sub, { channelPrefix: channel })
        : createAdapter(pub, sub, { key: channel }),
    );
    this.logger.log(`socket.io: ${this.options.adapter} Redis adapter`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.quit()));
  }
}
