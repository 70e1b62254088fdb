import { PushpageError } from '../errors';
import { ClientNode, ScopePatch } from '../protocol';
import { ArmedTimer, TimerStore } from '../store/store';

/** How often a replica looks for due timers, in ms. */
export const TIMER_POLL_MS = 100;
/** The most due timers one look takes. */
const DUE_PER_POLL = 64;
/**
 * How late a due timer may be before a replica without a tab on its page sets it aside: the
 * replicas that have one had this long to run it.
 */
const IDLE_AFTER_MS = 2000;

/** What the schedule needs from the rest of the server. */
export interface TimerHost {
  /** Whether a tab of the page is connected to this replica. */
  hasLocalTabs(pageId: string): boolean;
  /** Whether any tab is connected to this replica (none: there is no tick to run here). */
  anyLocalTabs(): boolean;
  /** Runs one tick: the timer's `tick` event, raised by the server. */
  tick(pageId: string, timerId: string): Promise<void>;
  /** Reports a tick that failed for another reason than its timer being gone or paused. */
  failed(timer: ArmedTimer, error: unknown): void;
}

/** A page timer as a tab's node shows it (see `Timer`): renders nothing, ticks every `every`. */
function timerOfNode(pageId: string, node: ClientNode, now: number): ArmedTimer | undefined {
  const every = node.p.every;
  if (node.t !== 'template' || typeof every !== 'number' || !node.e?.includes('tick'))
    return undefined;
  if (node.p.active === false) return undefined;
  return { page: pageId, timer: node.i, every, due: now + every };
}

/**
 * The page timers of the cluster, as one replica takes part: it arms the timers of pages it
 * shows or changes, and runs the due ticks of pages it has tabs of, each tick claimed in the
 * store so that one replica runs it. A timer whose page has no tab anywhere is set aside
 * until a tab joins the page again.
 */
export class PageTimers {
  private readonly running = new Set<string>();
  private loop: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly store: TimerStore,
    private readonly host: TimerHost,
    private readonly now: () => number = Date.now,
  ) {}

  /** Arms the timers among the nodes of a page (a page just made, or shown whole). */
  async armNodes(pageId: string, nodes: readonly ClientNode[]): Promise<void> {
    const now = this.now();
    const timers = nodes.flatMap((node) => timerOfNode(pageId, node, now) ?? []);
    if (timers.length > 0) await this.store.armTimers(timers);
  }

  /** Arms the timers a patch adds or resumes (a handler made one, or set its interval). */
  async armPatch(patch: ScopePatch): Promise<void> {
    const now = this.now();
    const timers = (patch.n ?? []).flatMap((node) => timerOfNode(patch.s, node, now) ?? []);
    for (const op of patch.o)
      if (op[0] === 'set' && op[2] === 'every' && typeof op[3] === 'number')
        timers.push({ page: patch.s, timer: op[1], every: op[3], due: now + op[3] });
    if (timers.length > 0) await this.store.armTimers(timers);
  }

  /** A tab joined the page: its timers set aside meanwhile tick again. */
  wake(pageId: string): Promise<void> {
    return this.store.wakeTimers(pageId, this.now());
  }

  /** Looks for due timers every {@link TIMER_POLL_MS} until {@link PageTimers.stop}. */
  start(): void {
    const next = () => {
      if (this.stopped) return;
      this.loop = setTimeout(() => void this.poll().finally(next), TIMER_POLL_MS);
      this.loop.unref?.();
    };
    next();
  }

  /** Stops looking; ticks already running end by themselves. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.loop);
  }

  /** One look: claims and starts the due ticks this replica can run. */
  async poll(): Promise<void> {
    // a replica without tabs runs no tick, and costs the store nothing
    if (!this.host.anyLocalTabs()) return;
    const now = this.now();
    let due: ArmedTimer[];
    try {
      due = await this.store.dueTimers(now, DUE_PER_POLL);
    } catch {
      return; // the store is out of reach: the next look tries again
    }
    for (const timer of due) {
      try {
        await this.consider(timer, now);
      } catch {
        // the store failed for this one; it is still due at the next look
      }
    }
  }

  private async consider(timer: ArmedTimer, now: number): Promise<void> {
    if (!this.host.hasLocalTabs(timer.page)) {
      if (now - timer.due > timer.every + IDLE_AFTER_MS) await this.store.idleTimer(timer);
      return;
    }
    const key = `${timer.page}/${timer.timer}`;
    // a tick still running here: this one is skipped, not queued
    const following = timer.due + timer.every;
    const next = following > now ? following : now + timer.every;
    if (!(await this.store.claimTimer(timer, next))) return;
    if (this.running.has(key)) return;
    this.running.add(key);
    void this.run(timer).finally(() => this.running.delete(key));
  }

  private async run(timer: ArmedTimer): Promise<void> {
    try {
      await this.host.tick(timer.page, timer.timer);
    } catch (error) {
      if (error instanceof PushpageError && ['not-found', 'not-listening'].includes(error.code)) {
        // the timer or its page is gone, or it was paused: it ticks no more
        await this.store.disarmTimer({ ...timer }).catch(() => undefined);
        return;
      }
      this.host.failed(timer, error);
    }
  }
}
