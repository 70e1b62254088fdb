import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { PUSHPAGE_STORE, ExpiryStore, TimerStore, TreeStore } from '../store/store';

/** Counts the tabs that show a page, on every replica. */
export interface TabPresence {
  countTabs(pageId: string): Promise<number>;
}

/** Injection token of the tab presence. */
export const PUSHPAGE_PRESENCE = Symbol('PUSHPAGE_PRESENCE');

const SWEEP_BATCH = 200;
/** How long a page used only over HTTP (no socket) outlives its last request. */
const HTTP_IDLE_MS = 30 * 60 * 1000;
/**
 * A replica that wrote a page's HTTP deadline leaves it for this long: a page polled every
 * second costs one deadline write a minute, not one per request, and lives 29 to 30 minutes
 * past its last request.
 */
const HTTP_TOUCH_EVERY_MS = 60 * 1000;
/** The most pages whose last deadline write a replica remembers. */
const HTTP_TOUCHES_KEPT = 10_000;

/**
 * Deletes pages (`deleteFlag` true) that no tab has shown for the grace period, across
 * replicas and crashes: every page has a deadline in the store; each replica pushes the
 * deadlines of the pages its tabs show forward, and any replica deletes pages past their
 * deadline that no tab on any replica shows. A replica killed outright leaves deadlines
 * that nobody pushes forward, so its pages go too. Shared pages and elements stay.
 */
@Injectable()
export class PageLifecycle implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Pushpage');
  private readonly localTabs = new Map<string, number>();
  /** page → when this replica last wrote its HTTP deadline */
  private readonly httpTouches = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: ExpiryStore & TreeStore & TimerStore,
    @Inject(PUSHPAGE_PRESENCE) private readonly presence: TabPresence,
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
  ) {}

  /** Pages that at least one tab of this replica shows. */
  get livePages(): number {
    return this.localTabs.size;
  }

  /** How often deadlines are pushed forward and expired pages looked for. */
  get interval(): number {
    return Math.min(10_000, Math.max(100, Math.floor(this.options.disconnectGraceMs / 3)));
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), this.interval);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * A page was just stored: it lives for the grace period unless a tab shows it, or, for a
   * page without websockets, for the HTTP idle time unless a request touches it.
   */
  async created(pageId: string, websockets: boolean): Promise<void> {
    await this.store.touchPages([pageId], websockets ? this.deadline() : Date.now() + HTTP_IDLE_MS);
  }

  /** An HTTP client read or used the page: it lives for the HTTP idle time from now. */
  usedOverHttp(pageId: string): void {
    const now = Date.now();
    const last = this.httpTouches.get(pageId);
    if (last !== undefined && now - last < HTTP_TOUCH_EVERY_MS) return;
    if (this.httpTouches.size >= HTTP_TOUCHES_KEPT) {
      for (const [id, at] of this.httpTouches)
        if (now - at >= HTTP_TOUCH_EVERY_MS) this.httpTouches.delete(id);
      if (this.httpTouches.size >= HTTP_TOUCHES_KEPT) this.httpTouches.clear();
    }
    this.httpTouches.set(pageId, now);
    this.store.touchPages([pageId], now + HTTP_IDLE_MS).catch((error: unknown) => {
      this.httpTouches.delete(pageId);
      this.warn('keeping a page alive', error);
    });
  }

  /** Whether a tab connected to this replica shows the page. */
  hasLocalTabs(pageId: string): boolean {
    return this.localTabs.has(pageId);
  }

  /** A tab of this replica shows the page. */
  tabJoined(pageId: string): void {
    this.localTabs.set(pageId, (this.localTabs.get(pageId) ?? 0) + 1);
    this.touch([pageId]);
  }

  /** A tab of this replica left the page: the grace period starts now. */
  tabLeft(pageId: string): void {
    const left = (this.localTabs.get(pageId) ?? 1) - 1;
    if (left > 0) this.localTabs.set(pageId, left);
    else this.localTabs.delete(pageId);
    this.touch([pageId]);
  }

  private deadline(): number {
    return Date.now() + this.options.disconnectGraceMs;
  }

  private touch(pageIds: string[]): void {
    this.store
      .touchPages(pageIds, this.deadline())
      .catch((error: unknown) => this.warn('keeping pages alive', error));
  }

  private async tick(): Promise<void> {
    if (this.localTabs.size > 0) this.touch([...this.localTabs.keys()]);
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.sweep();
    } catch (error) {
      this.warn('deleting expired pages', error);
    } finally {
      this.sweeping = false;
    }
  }

  private async sweep(): Promise<void> {
    const expired = await this.store.expiredPages(Date.now(), SWEEP_BATCH);
    for (const pageId of expired) {
      if (this.localTabs.has(pageId) || (await this.presence.countTabs(pageId)) > 0) {
        this.touch([pageId]);
        continue;
      }
      await this.store.deletePage(pageId);
      await this.store.dropIdleTimers(pageId);
    }
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
