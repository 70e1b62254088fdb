/**
 * What `component.on()` checks before it binds: the event's name, and the event properties
 * the handler asks for.
 */
import { EventProperty, eventNameProblem, isEventProperty } from '../event-wire';

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
