/**
 * The `event` field of an incoming event: the event properties the tab sent (checked here,
 * before anything runs) and the ones a handler receives (those its binding asked for).
 */
import {
  EVENT_PROPERTIES,
  EventProperty,
  EventPropertyKind,
  EventPropertyValues,
  isEventProperty,
  MAX_EVENT_ARGS_CHARS,
  MAX_EVENT_ARGS_DEPTH,
  MAX_EVENT_KEY_LENGTH,
  MAX_TARGET_VALUE_LENGTH,
} from '../event-wire';
import { JsonValue } from '../protocol';

/** The event properties a handler receives: those its binding asked for. */
export type ReceivedEventProperties = Readonly<Partial<EventPropertyValues>>;

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Object.values(value as Record<string, unknown>);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** What is wrong with a value of one kind, or `undefined` when it fits. */
function kindProblem(kind: EventPropertyKind, value: unknown): string | undefined {
  switch (kind) {
    case 'key':
      return typeof value === 'string' && value.length <= MAX_EVENT_KEY_LENGTH
        ? undefined
        : `must be text up to ${MAX_EVENT_KEY_LENGTH} characters`;
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TARGET_VALUE_LENGTH
        ? undefined
        : `must be text up to ${MAX_TARGET_VALUE_LENGTH} characters`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : 'must be a finite number';
    case 'arguments':
      if (!Array.isArray(value)) return 'must be a list of JSON values';
      if (JSON.stringify(value).length > MAX_EVENT_ARGS_CHARS)
        return `must take at most ${MAX_EVENT_ARGS_CHARS} characters as JSON`;
      return depthOf(value) > MAX_EVENT_ARGS_DEPTH
        ? `must nest at most ${MAX_EVENT_ARGS_DEPTH} deep`
        : undefined;
  }
}

/**
 * Every problem of an event's `event` field (a JSON object already free of prototype keys):
 * properties that are not in `EVENT_PROPERTIES`, and values of the wrong type or size.
 */
export function eventPropertyProblems(event: unknown): string[] {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return ['event must be an object of event properties'];
  return Object.entries(event).flatMap(([name, value]) => {
    if (!isEventProperty(name))
      return [`event.${name.slice(0, 64)} is not an event property (see EVENT_PROPERTIES)`];
    const problem = kindProblem(EVENT_PROPERTIES[name], value);
    return problem ? [`event.${name} ${problem}`] : [];
  });
}

const EMPTY: { [K in EventPropertyKind]: () => EventPropertyValues[EventProperty] } = {
  key: () => '',
  text: () => '',
  boolean: () => false,
  number: () => 0,
  arguments: () => [],
};

/**
 * The properties a binding asked for, from those a checked event carried: a property the
 * event lacks (`key` of a click) is empty (`''`, `false`, `0`, `[]`); one not asked for is
 * left out, so a handler never sees more than its binding promised.
 */
export function askedEventProperties(
  given: Readonly<Record<string, JsonValue>> | undefined,
  asked: readonly EventProperty[],
): ReceivedEventProperties {
  const picked: Partial<Record<EventProperty, EventPropertyValues[EventProperty]>> = {};
  for (const name of asked) {
    const value =
      given && Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined;
    picked[name] =
      value === undefined
        ? EMPTY[EVENT_PROPERTIES[name]]()
        : (value as EventPropertyValues[EventProperty]);
  }
  return picked as ReceivedEventProperties;
}
