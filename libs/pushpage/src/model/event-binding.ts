/**
 * What `component.on()` checks before it binds: the event's name, the event properties the
 * handler asks for, and the throttle.
 */
import {
  EventProperty,
  eventNameProblem,
  eventThrottleProblem,
  isEventProperty,
} from '../event-wire';

/**
 * Options of `component.on()`.
 *
 * @typeParam K - the event properties the handler receives in `msg.event`
 */
export interface EventBindingOptions<K extends EventProperty = never> {
  /**
   * The properties of the event the tab sends along (`['key', 'ctrlKey']`), and the handler
   * reads in `msg.event`; see `EVENT_PROPERTIES`.
   */
  props?: readonly K[];
  /**
   * The fewest milliseconds between two of these events the tab sends, from 0 to
   * `MAX_EVENT_THROTTLE_MS` (10 000). The first event of a burst is sent at once, later ones
   * wait, and the last one is always sent when its wait is over, so the handler sees where
   * the burst ended (the final mouse position, say). Events in `THROTTLED_EVENTS`
   * (`mousemove`, `dragover`, `scroll`, ...) are throttled by `DEFAULT_EVENT_THROTTLE_MS`
   * (100) unless this says otherwise; `0` sends every event. A form control's value event
   * keeps the control's own `debounce` or `throttle` option.
   */
  throttle?: number;
}

/**
 * Checks an event name and the properties asked for; returns the properties without
 * repeats, or throws an error that says what is wrong (a binding made from a name built at
 * run time, or code the compiler did not check).
 */
export function checkedBinding(type: string, props: readonly string[] = []): EventProperty[] {
  const problem = eventNameProblem(type);
  if (problem) throw new Error(`cannot bind a handler: ${problem}`);
  const unknown = props.filter((name) => !isEventProperty(name));
  if (unknown.length > 0) {
    throw new Error(
      `cannot bind a handler to ${type}: unknown event ${unknown.length > 1 ? 'properties' : 'property'} ` +
        `${unknown.map((name) => JSON.stringify(name)).join(', ')} (see EVENT_PROPERTIES)`,
    );
  }
  return [...new Set(props as readonly EventProperty[])];
}

/**
 * Checks a binding's throttle; returns it (`undefined` when none was given), or throws a
 * `TypeError` that says what is wrong.
 */
export function checkedThrottle(type: string, throttle: unknown): number | undefined {
  if (throttle === undefined) return undefined;
  const problem = eventThrottleProblem(throttle);
  if (problem) throw new TypeError(`cannot bind a handler to ${type}: ${problem}`);
  return throttle as number;
}
