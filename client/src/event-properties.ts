/**
 * The event properties a tab sends with an event: exactly those its handler asked for, read
 * from the DOM event, its target, or the arguments a Vue or Quasar component emitted.
 */
import {
  EVENT_PROPERTIES,
  isEventProperty,
  MAX_EVENT_ARGS_CHARS,
  MAX_EVENT_ARGS_DEPTH,
  MAX_EVENT_KEY_LENGTH,
  MAX_TARGET_VALUE_LENGTH,
} from '../../libs/pushpage/src/event-wire';
import { JsonValue } from './types';

/**
 * A value as JSON, so that anything a component emits can travel: DOM events, elements,
 * functions and what nests deeper than the limit become `null`.
 */
export function jsonSafe(value: unknown, depth = 0): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object' || depth >= MAX_EVENT_ARGS_DEPTH) return null;
  if (typeof Event !== 'undefined' && value instanceof Event) return null;
  if (typeof Node !== 'undefined' && value instanceof Node) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, depth + 1));
  const result: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item === 'function' || item === undefined) continue;
    result[key] = jsonSafe(item, depth + 1);
  }
  return result;
}

/**
 * A component event's arguments as JSON, within the size the server takes: an argument that
 * would take the list past {@link MAX_EVENT_ARGS_CHARS} characters is sent as `null`.
 */
export function jsonSafeArgs(args: readonly unknown[]): JsonValue[] {
  let room = MAX_EVENT_ARGS_CHARS - 2;
  return args.map((arg) => {
    const safe = jsonSafe(arg, 1);
    const size = JSON.stringify(safe).length + 1;
    if (size > room) {
      room -= 5;
      return null;
    }
    room -= size;
    return safe;
  });
}

function fieldOf(source: unknown, name: string): unknown {
  return typeof source === 'object' && source !== null
    ? (source as Record<string, unknown>)[name]
    : undefined;
}

/** One asked-for property, or `undefined` when the event does not have it as its kind says. */
function propertyOf(name: string, event: Event | undefined, args: readonly unknown[]): unknown {
  if (!isEventProperty(name)) return undefined;
  if (name === 'args') return jsonSafeArgs(args);
  const value =
    name === 'target.value' || name === 'target.checked'
      ? fieldOf(event?.target, name.slice('target.'.length))
      : fieldOf(event, name);
  switch (EVENT_PROPERTIES[name]) {
    case 'key':
      return typeof value === 'string' ? value.slice(0, MAX_EVENT_KEY_LENGTH) : undefined;
    case 'text':
      return typeof value === 'string' ? value.slice(0, MAX_TARGET_VALUE_LENGTH) : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    default:
      return undefined;
  }
}

/**
 * The properties `asked` for, from what a listener received: a DOM event, or a component
 * event's arguments (whose first may be the DOM event behind it, as with `row-click`). A
 * property the event does not have is left out; the server gives the handler its empty value.
 */
export function pickEventProperties(
  received: readonly unknown[],
  asked: readonly string[],
): Record<string, JsonValue> {
  const first = received[0];
  const event = typeof Event !== 'undefined' && first instanceof Event ? first : undefined;
  const picked: Record<string, JsonValue> = {};
  for (const name of asked) {
    const value = propertyOf(name, event, received);
    if (value !== undefined) picked[name] = value as JsonValue;
  }
  return picked;
}
