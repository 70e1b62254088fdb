import { Component, ComponentData, ComponentOptions } from './component';
import { HandlerFor } from './handler-ref';

/** The shortest interval a page timer may have, in ms. */
export const MIN_TIMER_MS = 100;
/** The longest interval a page timer may have: a day, in ms. */
export const MAX_TIMER_MS = 86_400_000;

/** Options of {@link Timer}. */
export interface TimerOptions<D extends ComponentData = ComponentData, S = Timer<D>> extends Omit<
  ComponentOptions<D, S>,
  'text' | 'innerHtml' | 'animation' | 'show'
> {
  /** Milliseconds between two ticks, from {@link MIN_TIMER_MS} to {@link MAX_TIMER_MS}. */
  every: number;
  /** What each tick runs, with the timer as `self` (its page is `msg.page`). */
  tick: HandlerFor<S, 'tick'>;
  /** `false` creates it paused (see {@link Timer.active}). Default `true`. */
  active?: boolean;
}

/**
 * A page timer (NiceGUI's `ui.timer`): put it on a page and its `tick` handler runs every
 * `every` ms, once for the whole cluster, while the page has a tab open with a socket, on a
 * replica one of those tabs is connected to. It stops when the page's last tab has gone and
 * starts again when a tab comes back; removing it from the page, or deleting the page, ends
 * it. A tick is an event like a click (it commits, pushes, runs again after a conflict), but
 * it comes from no tab: `msg.tabs` reaches the page's tabs, `msg.client` throws.
 *
 * This replaces a `setInterval` started in a handler, which runs on one replica only, goes on
 * after the tabs have gone, and runs twice when two replicas start it. A tick that is late
 * (every replica busy, or the one running it died) runs once, not once per missed interval.
 * Renders nothing. Tabs cannot send its `tick` event.
 */
export class Timer<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Timer';
  static override readonly tag: string = 'template';
  /** @internal Events only the server raises: a tab sending one is refused. */
  static override readonly serverEvents: readonly string[] = ['tick'];

  constructor(options: TimerOptions<D>) {
    const { every, tick, active, ...rest } = options;
    super(rest as ComponentOptions<D, Timer<D>>);
    this.every = every;
    if (active === false) this.setProp('active', false);
    this.on('tick', tick);
  }

  /** Milliseconds between two ticks. Changing it takes effect from the next tick. */
  get every(): number {
    return this.getProp('every') as number;
  }
  set every(ms: number) {
    if (!Number.isInteger(ms) || ms < MIN_TIMER_MS || ms > MAX_TIMER_MS) {
      throw new RangeError(
        `a timer ticks every ${MIN_TIMER_MS} to ${MAX_TIMER_MS} ms (a whole number), not ${ms}`,
      );
    }
    this.setProp('every', ms);
  }

  /** Whether it ticks: `false` pauses it (from a handler, or its own tick), `true` resumes. */
  get active(): boolean {
    return this.getProp('active') !== false;
  }
  set active(on: boolean) {
    if (on === this.active) return;
    this.setProp('active', on ? undefined : false);
    // tabs' replicas arm timers from what patches say: a resumed timer says its interval
    if (on) this.setProp('every', this.every);
  }

  /** @internal A paused timer has no handler for its tick. */
  override handlerFor(type: string): string | undefined {
    if (type === 'tick' && !this.active) return undefined;
    return super.handlerFor(type);
  }
}
