import { LiveNode } from './tree';
import { FormValue, JsonValue, OutgoingEvent } from './types';

/** Sends an event to the server (over the socket, or HTTP for websocket-free pages). */
export type Transport = (event: OutgoingEvent) => void;

const DEFAULT_DEBOUNCE_MS = 200;

/** A new event id: 12 random bytes, base64url (the server applies an id once per session). */
export function newEventId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

interface PendingValue {
  value: FormValue;
  type: string;
}

/** One throttled event of one component: when it was last sent, and the firing that waits. */
interface ThrottledEvent {
  wait: number;
  lastSent: number;
  /** the latest firing not sent yet, and the timer that sends it when the wait is over */
  waiting?: OutgoingEvent;
  timer?: ReturnType<typeof setTimeout>;
}

/** How many throttled events the sender remembers before it forgets the idle ones. */
const THROTTLED_KEPT = 64;

function throttleKey(componentId: string, type: string): string {
  return `${componentId} ${type}`;
}

/**
 * Turns DOM events into server events. Typed text waits for its debounce (or throttle),
 * but never longer than the next event of this tab: any event first carries every
 * pending value, so a click can never overtake the text typed before it.
 *
 * A throttled event (`mousemove` of a component, say) is sent at once when its wait since
 * the last one is over; a firing before that waits, replacing the one waiting, and is sent
 * when the wait is over: at most one event per wait, and always the last of a burst. An
 * event that is not throttled (a click, a drop, a typed value) takes the waiting ones along
 * first, so the server sees them in the order they fired (the last `dragover` before the
 * `drop`); throttled events keep to their own waits.
 */
export class EventSender {
  private readonly pending = new Map<string, PendingValue>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lastSent = new Map<string, number>();
  private readonly throttled = new Map<string, ThrottledEvent>();
  /** Controls whose value this tab's user changed. */
  readonly typedInto = new Set<string>();

  constructor(
    private readonly pageId: () => string,
    private readonly transport: Transport,
  ) {}

  /** The user changed a form control's value. */
  valueChanged(node: LiveNode, value: FormValue): void {
    node.p.value = value;
    this.typedInto.add(node.i);
    this.pending.set(node.i, { value, type: node.v ?? 'input' });
    const throttle = Number(node.p.throttle ?? 0);
    // a choice (select, switch, slider) is sent at once; typing waits for its debounce
    const wait = Number(node.p.debounce ?? (node.v === 'change' ? 0 : DEFAULT_DEBOUNCE_MS));
    if (throttle > 0) {
      const since = Date.now() - (this.lastSent.get(node.i) ?? 0);
      if (since >= throttle) this.sendValue(node.i);
      else if (!this.timers.has(node.i)) this.schedule(node.i, throttle - since);
      return;
    }
    this.clearTimer(node.i);
    this.schedule(node.i, wait);
  }

  /**
   * An event the component listens to, with its key and the event properties its handler
   * asked for; pending values travel with it. With a `throttle` (milliseconds) above 0 it is
   * sent at most once per throttle, the last firing of a burst when the throttle is over.
   */
  event(
    node: LiveNode,
    type: string,
    extra: { key?: string; event?: Record<string, JsonValue> } = {},
    throttle = 0,
  ): void {
    const event: OutgoingEvent = { pageId: this.pageId(), componentId: node.i, type, ...extra };
    if (!(throttle > 0)) {
      this.send(event);
      return;
    }
    const key = throttleKey(node.i, type);
    let state = this.throttled.get(key);
    if (!state) {
      if (this.throttled.size >= THROTTLED_KEPT) this.forgetIdle();
      state = { wait: throttle, lastSent: -Infinity };
      this.throttled.set(key, state);
    }
    state.wait = throttle;
    // a clock set back counts as no time passed
    const since = Math.max(0, Date.now() - state.lastSent);
    if (state.timer === undefined && since >= throttle) {
      this.send(event, true);
      return;
    }
    state.waiting = event;
    state.timer ??= setTimeout(() => this.sendWaiting(key), throttle - since);
  }

  /** Sends every pending value and every throttled event that waits, now. */
  flush(): void {
    const first = this.pending.keys().next();
    if (!first.done) this.sendValue(first.value);
    for (const key of this.throttled.keys()) this.sendWaiting(key);
  }

  /** Whether typed values wait to be sent. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Whether a throttled event waits to be sent. */
  get hasThrottled(): boolean {
    for (const state of this.throttled.values()) if (state.waiting) return true;
    return false;
  }

  private sendWaiting(key: string): void {
    const waiting = this.throttled.get(key)?.waiting;
    if (waiting) this.send(waiting, true);
  }

  /** Forgets the throttled events whose wait is over and that have nothing waiting. */
  private forgetIdle(): void {
    const now = Date.now();
    for (const [key, state] of this.throttled)
      if (!state.waiting && now - state.lastSent >= state.wait) this.throttled.delete(key);
  }

  /**
   * Marks `event`'s own throttled event as sent now; before an event that is not throttled,
   * sends the throttled events that wait.
   */
  private takeThrottled(event: OutgoingEvent, throttled: boolean): void {
    const own = throttleKey(event.componentId, event.type);
    if (!throttled)
      for (const [key, state] of this.throttled) {
        if (key === own || !state.waiting) continue;
        const waiting = state.waiting;
        this.settle(state);
        this.transmit(waiting);
      }
    const state = this.throttled.get(own);
    if (state) this.settle(state);
  }

  private settle(state: ThrottledEvent): void {
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
    state.waiting = undefined;
    state.lastSent = Date.now();
  }

  private schedule(id: string, ms: number): void {
    this.timers.set(
      id,
      setTimeout(() => this.sendValue(id), ms),
    );
  }

  private sendValue(id: string): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.send({ pageId: this.pageId(), componentId: id, type: pending.type, value: pending.value });
  }

  private send(event: OutgoingEvent, throttled = false): void {
    this.takeThrottled(event, throttled);
    this.transmit(event);
  }

  /** Sends one event, with every pending value. */
  private transmit(event: OutgoingEvent): void {
    if (event.value !== undefined) this.pending.delete(event.componentId);
    if (this.pending.size > 0) {
      event.values = [...this.pending].map(([id, { value }]) => ({ id, value }));
    }
    for (const id of [...this.pending.keys(), event.componentId]) this.clearTimer(id);
    this.pending.clear();
    this.lastSent.set(event.componentId, Date.now());
    this.transport(event);
  }

  private clearTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }
}
