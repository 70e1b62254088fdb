import { Component } from '../model/component';
import { SharedDefinition } from '../engine/shared';
import { runTransaction, Transaction } from '../engine/transaction';
import { UnitOfWork } from '../engine/unit-of-work';
import { PageTabs } from '../engine/client-actions';
import { WebPage } from '../model/web-page';

/** A page's tabs, for tasks made without a way to reach them (tests). */
function unreachableTabs(page: WebPage): PageTabs {
  return new PageTabs(() => {
    throw new Error(`this task context reaches no tabs (page ${page.id})`);
  });
}

/**
 * What a startup hook or background task works with. Components it gets are read once and
 * kept: call {@link TaskContext.refresh} at the top of each round of a long loop to see
 * what handlers and other replicas changed meanwhile.
 */
export class TaskContext {
  private uow: UnitOfWork;

  /** @internal Pushpage makes one for each run of a task. */
  constructor(
    /** Aborted when the task must stop: shutdown, or its cluster lease was lost. */
    readonly signal: AbortSignal,
    private readonly newUnitOfWork: () => UnitOfWork,
    private readonly tabs: (page: WebPage) => PageTabs = unreachableTabs,
  ) {
    this.uow = newUnitOfWork();
  }

  /**
   * A shared component or page (see `defineShared`), ready to change and `update()`. Asking
   * again gives the same object, as read the first time, until {@link TaskContext.refresh}.
   */
  shared<T extends Component>(definition: SharedDefinition<T>): Promise<T> {
    return this.uow.shared(definition);
  }

  /**
   * Commits and pushes what the task changed and has not `update()`d yet, then forgets every
   * component it got: the next `shared()` reads the store again. Objects got before keep
   * the state they were read with; get them again after this.
   */
  async refresh(): Promise<void> {
    await this.uow.flush();
    this.uow = this.newUnitOfWork();
  }

  /**
   * A read-modify-write that others cannot interleave: `change` gets components read fresh,
   * and what it changes commits (and is pushed) only if nothing it read changed meanwhile;
   * otherwise it runs again on the new state. A task's other changes apply as they are
   * (the last writer wins), so use this wherever a task writes what it computed from what
   * handlers or other replicas may change:
   *
   * ```ts
   * await ctx.transaction(async (tx) => {
   *   const board = await tx.shared(BOARD);
   *   await board.loadChildren();
   *   for (const old of board.children.slice(50)) board.remove(old);
   * });
   * ```
   */
  transaction<T>(change: (tx: Transaction) => Promise<T> | T): Promise<T> {
    return runTransaction(this.newUnitOfWork, change);
  }

  /**
   * Every tab of a page, on every replica: `ctx.tabsOf(page).notify('Done')`. Actions go out
   * at once, so `update()` first what they refer to. Refused for a page without websockets.
   */
  tabsOf(page: WebPage): PageTabs {
    return this.tabs(page);
  }

  /** Waits `ms` milliseconds; resolves `false` at once if the task must stop. */
  sleep(ms: number): Promise<boolean> {
    const signal = this.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
