import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { PUSHPAGE_STORE, PushpageStore } from '../store/store';

/** Counts the tabs that show a page, on every replica. */
export interface TabPresence {
  countTabs(pageId: string): Promise<number>;
}

/** Injection token of the tab presence. */
export const PUSHPAGE_PRESENCE = Symbol('PUSHPAGE_PRESENCE');

/**
 * Deletes a page (`deleteFlag` true) once no tab has shown it for the grace period, so a
 * reload or a reconnect within the grace finds it. Shared pages and shared elements stay.
 */
@Injectable()
export class PageLifecycle implements OnModuleDestroy {
  private readonly logger = new Logger('Pushpage');
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    @Inject(PUSHPAGE_PRESENCE) private readonly presence: TabPresence,
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
  ) {}

  /** Starts (or restarts) the grace period of a page that may have no tab. */
  watch(pageId: string): void {
    this.cancel(pageId);
    const timer = setTimeout(() => void this.expire(pageId), this.options.disconnectGraceMs);
    timer.unref();
    this.timers.set(pageId, timer);
  }

  /** A tab shows the page: it must stay. */
  cancel(pageId: string): void {
    const timer = this.timers.get(pageId);
    if (timer) clearTimeout(timer);
    this.timers.delete(pageId);
  }

  private async expire(pageId: string): Promise<void> {
    this.timers.delete(pageId);
    try {
      if ((await this.presence.countTabs(pageId)) > 0) return;
      await this.store.commit({ ops: [{ op: 'delete', id: pageId }], bump: [] });
      this.logger.debug?.(
        `page ${pageId} deleted: no tab for ${this.options.disconnectGraceMs} ms`,
      );
    } catch (error) {
      this.logger.warn(
        `could not expire page ${pageId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
