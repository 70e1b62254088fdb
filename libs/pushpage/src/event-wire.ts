/**
 * Event names and event properties as the wire carries them: which names a component may
 * listen to, and which properties of a DOM or component event a handler may ask for. Types,
 * constants and pure functions only, so the browser runtime shares this file.
 */
import type { JsonValue } from './protocol';

/** The most characters an event name may have. */
export const MAX_EVENT_NAME_LENGTH = 64;

/**
 * An event name: lowercase words of letters and digits joined by `-`, `:` or `.`, each
 * starting with a letter (`dblclick`, `row-click`, `update:model-value`).
 */
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9]*(?:[-:.][a-z][a-z0-9]*)*$/;

/**
 * Why `name` cannot be an event name, or `undefined` when it can be one. Besides the
 * pattern, a name is refused when Vue would read its listener as something else: `on...`
 * (an attribute, not an event), `vnode...` (Vue's own hooks) and `...-once`, `...-passive`,
 * `...-capture` (listener options).
 */
export function eventNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'an event name must be text';
  const shown = JSON.stringify(name.slice(0, MAX_EVENT_NAME_LENGTH));
  if (name.length > MAX_EVENT_NAME_LENGTH)
    return `event name ${shown}... is longer than ${MAX_EVENT_NAME_LENGTH} characters`;
  if (!EVENT_NAME_PATTERN.test(name))
    return (
      `${shown} is not an event name: lowercase letters and digits, in words joined by ` +
      '-, : or . (dblclick, row-click, update:model-value)'
    );
  if (name.startsWith('on'))
    return `${shown} is not an event name: name the event without "on" (click, not onclick)`;
  if (name.startsWith('vnode')) return `${shown} is not an event name: Vue reserves vnode hooks`;
  if (/-(once|passive|capture)$/.test(name))
    return `${shown} is not an event name: Vue reads its ending as a listener option`;
  return undefined;
}

/** The longest throttle a binding may set, in milliseconds. */
export const MAX_EVENT_THROTTLE_MS = 10_000;

/**
 * The throttle of an event in {@link THROTTLED_EVENTS} whose binding sets none, in
 * milliseconds: at most ten of its events a second reach the server.
 */
export const DEFAULT_EVENT_THROTTLE_MS = 100;

/**
 * Events that fire many times a second while the user moves, drags or scrolls: a binding to
 * one of them is throttled by {@link DEFAULT_EVENT_THROTTLE_MS} unless it sets its own
 * `throttle` (`0`: every event is sent).
 */
export const THROTTLED_EVENTS: readonly string[] = [
  'mousemove',
  'pointermove',
  'touchmove',
  'drag',
  'dragover',
  'scroll',
  'wheel',
  'resize',
];

/**
 * Why `throttle` cannot be an event binding's throttle, or `undefined` when it can be one: a
 * number of milliseconds from 0 to {@link MAX_EVENT_THROTTLE_MS}.
 */
export function eventThrottleProblem(throttle: unknown): string | undefined {
  const wanted = `a number of milliseconds from 0 to ${MAX_EVENT_THROTTLE_MS}`;
  if (typeof throttle !== 'number') {
    const shown = typeof throttle === 'string' ? JSON.stringify(throttle) : typeof throttle;
    return `throttle must be ${wanted}, not ${shown}`;
  }
  if (!Number.isFinite(throttle) || throttle < 0 || throttle > MAX_EVENT_THROTTLE_MS)
    return `throttle must be ${wanted}, not ${throttle}`;
  return undefined;
}

/**
 * The milliseconds a tab waits between two sends of an event: the throttle its binding set,
 * or for a binding that set none, {@link DEFAULT_EVENT_THROTTLE_MS} if the event is one of
 * {@link THROTTLED_EVENTS} and `0` (every event is sent) if not.
 */
export function eventThrottle(type: string, throttle?: number): number {
  if (throttle !== undefined && eventThrottleProblem(throttle) === undefined) return throttle;
  return THROTTLED_EVENTS.includes(type) ? DEFAULT_EVENT_THROTTLE_MS : 0;
}

/** The most characters of `key`, `code` and the other short texts of an event. */
export const MAX_EVENT_KEY_LENGTH = 64;
/** The most characters of `target.value`. */
export const MAX_TARGET_VALUE_LENGTH = 512 * 1024;
/** The most characters a component event's arguments (`args`) take as JSON. */
export const MAX_EVENT_ARGS_CHARS = 16 * 1024;
/** How deep a component event's arguments may nest. */
export const MAX_EVENT_ARGS_DEPTH = 10;

/**
 * The properties of an event a handler may ask for, each with its kind: `key` and `code` of
 * keyboard events, the modifier keys, mouse buttons and coordinates, wheel deltas, the value
 * or checked state of the element the event happened on (`target.value`, `target.checked`),
 * and the arguments a Vue or Quasar component gave its event (`args`).
 */
export const EVENT_PROPERTIES = {
  key: 'key',
  code: 'key',
  altKey: 'boolean',
  ctrlKey: 'boolean',
  shiftKey: 'boolean',
  metaKey: 'boolean',
  repeat: 'boolean',
  button: 'number',
  buttons: 'number',
  clientX: 'number',
  clientY: 'number',
  offsetX: 'number',
  offsetY: 'number',
  pageX: 'number',
  pageY: 'number',
  screenX: 'number',
  screenY: 'number',
  deltaX: 'number',
  deltaY: 'number',
  deltaZ: 'number',
  deltaMode: 'number',
  'target.value': 'text',
  'target.checked': 'boolean',
  args: 'arguments',
} as const;

/** The value each kind of event property has. */
interface EventPropertyKinds {
  /** A short text (at most {@link MAX_EVENT_KEY_LENGTH} characters). */
  key: string;
  /** Text up to {@link MAX_TARGET_VALUE_LENGTH} characters. */
  text: string;
  boolean: boolean;
  /** A finite number. */
  number: number;
  /** JSON values, at most {@link MAX_EVENT_ARGS_CHARS} characters of it. */
  arguments: JsonValue[];
}

/** The kind of an event property. */
export type EventPropertyKind = keyof EventPropertyKinds;

/** A property of an event a handler may ask for: a key of {@link EVENT_PROPERTIES}. */
export type EventProperty = keyof typeof EVENT_PROPERTIES;

/** The value of each {@link EventProperty}. */
export type EventPropertyValues = {
  [P in EventProperty]: EventPropertyKinds[(typeof EVENT_PROPERTIES)[P]];
};

/**
 * What `msg.event` holds for a binding that asked for the properties `K`: exactly those. A
 * property the event does not have (`key` of a click) is empty: `''`, `false`, `0` or `[]`.
 */
export type EventProperties<K extends EventProperty = never> = {
  readonly [P in K]: EventPropertyValues[P];
};

/** Whether `name` is an {@link EventProperty}. */
export function isEventProperty(name: string): name is EventProperty {
  return Object.prototype.hasOwnProperty.call(EVENT_PROPERTIES, name);
}
