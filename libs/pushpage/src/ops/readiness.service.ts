import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, usesRedis } from '../options';
import { PUSHPAGE_STORE, StoreConnection } from '../store/store';

/** What readiness looked at. */
export interface ReadinessReport {
  ready: boolean;
  /** The store answers (`memory`: the embedded store, always). */
  store: 'up' | 'down' | 'memory';
  /** The Socket.IO Redis adapter is subscribed (`none`: one process, no adapter). */
  adapter: 'subscribed' | 'not subscribed' | 'none';
  draining: boolean;
}

const PING_TIMEOUT_MS = 1000;

/** Whether the replica's link for broadcasts between replicas (the Socket.IO adapter) is up. */
export interface BroadcastLink {
  state(): ReadinessReport['adapter'];
}

/** Injection token of the {@link BroadcastLink} readiness looks at. */
export const PUSHPAGE_BROADCAST_LINK = Symbol('PUSHPAGE_BROADCAST_LINK');

/**
 * Whether this replica should get traffic: its store answers, its Socket.IO adapter is
 * subscribed, and it is not shutting down. On shutdown it turns not-ready at once and keeps
 * serving for `shutdownDelayMs`, so load balancers stop sending it new work before it stops.
 */
@Injectable()
export class PushpageReadiness implements OnModuleDestroy {
  private readonly logger = new Logger('Pushpage');
  private draining = false;

  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: StoreConnection,
    @Inject(PUSHPAGE_BROADCAST_LINK) private readonly adapter: BroadcastLink,
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
  ) {}

  /** True from the start of shutdown. */
  get isDraining(): boolean {
    return this.draining;
  }

  async check(): Promise<ReadinessReport> {
    const store = usesRedis(this.options) ? await this.pingStore() : 'memory';
    const adapter = this.adapter.state();
    return {
      ready: !this.draining && store !== 'down' && adapter !== 'not subscribed',
      store,
      adapter,
      draining: this.draining,
    };
  }

  /** The first step of shutdown: not ready, then serve on for the delay. */
  async onModuleDestroy(): Promise<void> {
    this.draining = true;
    const delay = this.options.shutdownDelayMs;
    this.logger.log(`shutting down: readiness is now false; serving ${delay} ms more`);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  private async pingStore(): Promise<'up' | 'down'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'down'>((resolve) => {
      timer = setTimeout(() => resolve('down'), PING_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.store.ping().then(() => 'up' as const), timeout]);
    } catch {
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}
