import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ClientNode, ScopePatch } from '../protocol';
import { PUSHPAGE_STORE, TimerStore } from '../store/store';
import { EventDispatcher } from './event-dispatcher';
import { PageLifecycle } from './page-lifecycle';
import { PageTimers } from './page-timers';

/**
 * Page timers (`Timer`) on this replica: arms them as pages are made and changed, wakes them
 * when a tab joins, and runs the due ticks of pages with a tab here (see `PageTimers`).
 */
@Injectable()
export class PageTimersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Pushpage');
  private readonly timers: PageTimers;

  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: TimerStore,
    lifecycle: PageLifecycle,
    dispatcher: EventDispatcher,
  ) {
    this.timers = new PageTimers(store, {
      hasLocalTabs: (pageId) => lifecycle.hasLocalTabs(pageId),
      anyLocalTabs: () => lifecycle.livePages > 0,
      tick: async (pageId, timerId) => {
        await dispatcher.dispatch(
          { pageId, componentId: timerId, type: 'tick' },
          { sessionId: '', timer: true },
        );
      },
      failed: (timer, error) =>
        this.logger.warn(
          `timer ${timer.timer} on page ${timer.page}: ` +
            (error instanceof Error ? error.message : String(error)),
        ),
    });
  }

  onApplicationBootstrap(): void {
    this.timers.start();
  }

  beforeApplicationShutdown(): void {
    this.timers.stop();
  }

  /** A page was made or shown whole: its timers are armed (those armed keep their time). */
  armNodes(pageId: string, nodes: readonly ClientNode[]): void {
    this.timers.armNodes(pageId, nodes).catch((error: unknown) => this.warn('arming', error));
  }

  /** A commit's patch: timers it adds or resumes are armed. */
  armPatch(patch: ScopePatch): void {
    this.timers.armPatch(patch).catch((error: unknown) => this.warn('arming', error));
  }

  /** A tab joined the page on this replica: its idle timers tick again. */
  wake(pageId: string): void {
    this.timers.wake(pageId).catch((error: unknown) => this.warn('waking', error));
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(
      `${what} page timers: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
