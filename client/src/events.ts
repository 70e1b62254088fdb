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

/**
 * Turns DOM events into server events. Typed text waits for its debounce (or throttle),
 * but never longer than the next event of this tab: any event first carries every
 * pending value, so a click can never overtake the text typed before it.
 */
export class EventSender {
  private readonly pending = new Map<string, PendingValue>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lastSent = new Map<string, number>();
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
   * asked for; pending values travel with it.
   */
  event(
    node: LiveNode,
    type: string,
    extra: { key?: string; event?: Record<string, JsonValue> } = {},
  ): void {
    this.send({ pageId: this.pageId(), componentId: node.i, type, ...extra });
  }

  /** Sends every pending value now. */
  flush(): void {
    const first = this.pending.keys().next();
    if (!first.done) this.sendValue(first.value);
  }

  /** Whether typed values wait to be sent. */
  get hasPending(): boolean {
    return this.pending.size > 0;
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

  private send(event: OutgoingEvent): void {
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
