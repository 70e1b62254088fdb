export type { ClientNode } from '../protocol';
import type { NewStoredComponent, StoredComponent } from '../store/store';
import {
  ChangeTracker,
  Component,
  ComponentRefValue,
  ComponentState,
  EventBinding,
  FieldChange,
  refTo,
} from './component';
import { FormControl } from './html';
import type { ValueBinding } from './binding';
import { ClientNode, JsonValue } from '../protocol';
import { componentClass } from './registry';
import { eventThrottleProblem, isEventProperty } from '../event-wire';

// A stored field's name is its kind's prefix and its own name (`p:text`, `d:message`,
// `e:click`, `m:session`, `b:value` for a control's binding); the model and the engine speak of
// fields as `FieldChange`s.
const PROP = 'p:';
const DATA = 'd:';
const EVENT = 'e:';
const META = 'm:';
/** A form control's value binding: one field, `b:value`. */
const BINDING = 'b:value';

/** The JSON text of a field value as stored. */
export function encodeField(value: JsonValue | Component): string {
  return JSON.stringify(
    value instanceof Component ? (refTo(value) satisfies ComponentRefValue) : value,
  );
}

/** @internal The stored name of the field a change touches. */
export function storedFieldName(change: FieldChange): string {
  switch (change.kind) {
    case 'prop':
      return PROP + change.name;
    case 'data':
      return DATA + change.key;
    case 'event':
      return EVENT + change.type;
    case 'binding':
      return BINDING;
  }
}

/**
 * A bound event as stored: the handler's name, or `{ handler, props?, throttle? }` when it
 * asked for event properties or set a throttle (so pages stored before either existed read
 * back as they were).
 */
function encodeBinding(binding: EventBinding): string {
  const props = binding.props && binding.props.length > 0 ? [...binding.props] : undefined;
  if (props === undefined && binding.throttle === undefined) return JSON.stringify(binding.handler);
  return JSON.stringify({
    handler: binding.handler,
    ...(props === undefined ? {} : { props }),
    ...(binding.throttle === undefined ? {} : { throttle: binding.throttle }),
  });
}

/** A stored binding; a property or throttle it should not have is left out. */
function decodeBinding(value: JsonValue): EventBinding {
  if (typeof value === 'string') return { handler: value };
  const stored = value as { handler: string; props?: string[]; throttle?: unknown };
  const props = (stored.props ?? []).filter(isEventProperty);
  const throttle =
    stored.throttle !== undefined && eventThrottleProblem(stored.throttle) === undefined
      ? (stored.throttle as number)
      : undefined;
  return {
    handler: stored.handler,
    ...(props.length > 0 ? { props } : {}),
    ...(throttle === undefined ? {} : { throttle }),
  };
}

/** Adds what a tab needs of one bound event besides its name to its node. */
function describeBinding(node: ClientNode, type: string, binding: EventBinding): void {
  if (binding.props && binding.props.length > 0) (node.a ??= {})[type] = [...binding.props];
  if (binding.throttle !== undefined) (node.r ??= {})[type] = binding.throttle;
}

/** @internal The JSON text a change leaves in its field; `undefined` when it removes the field. */
export function storedFieldValue(change: FieldChange): string | undefined {
  if (change.kind === 'event')
    return change.handler === undefined
      ? undefined
      : encodeBinding({ handler: change.handler, props: change.props, throttle: change.throttle });
  const value = fieldValueOf(change);
  return value === undefined ? undefined : JSON.stringify(value);
}

function fieldValueOf(change: FieldChange): JsonValue | undefined {
  switch (change.kind) {
    case 'event':
      return change.handler;
    case 'binding':
      return change.binding;
    default:
      return change.value;
  }
}

/** @internal The fields of a component to store. */
export function toStoredFields(
  s: ComponentState,
  meta: Record<string, JsonValue> = {},
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of s.props) fields[PROP + name] = JSON.stringify(value);
  for (const [name, value] of s.data) fields[DATA + name] = encodeField(value);
  for (const [type, binding] of s.events) fields[EVENT + type] = encodeBinding(binding);
  for (const [name, value] of Object.entries(meta)) fields[META + name] = JSON.stringify(value);
  if (s.binding) fields[BINDING] = JSON.stringify(s.binding);
  return fields;
}

/** @internal A whole component for a `create` operation. */
export function toStoredComponent(
  c: Component,
  meta?: Record<string, JsonValue>,
): NewStoredComponent {
  const s = c._s;
  return {
    id: s.id,
    type: s.type,
    parent: s.scope || !s.parent ? null : s.parent.id,
    children: (s.children ?? []).map((child) => child.id),
    scope: s.scope,
    fields: toStoredFields(s, s.deleteFlag ? meta : { ...meta, shared: true }),
  };
}

/**
 * @internal The components a stored component's custom data refers to (anything stored with
 * a `$ref`).
 */
export function referencesIn(fields: Record<string, string>): ComponentRefValue[] {
  const refs: ComponentRefValue[] = [];
  for (const [field, text] of Object.entries(fields)) {
    if (!field.startsWith(DATA) || !text.includes('$ref')) continue;
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && '$ref' in value)
      refs.push(value as ComponentRefValue);
  }
  return refs;
}

/** Who may see a page, from its `session` and `shared` metadata. */
export interface PageAccess {
  /** The session that created the page (none for shared pages). */
  session?: string;
  shared: boolean;
}

const SESSION = META + 'session';
const SHARED = META + 'shared';

/** @internal Reads a page's access from its stored fields. */
export function accessOf(fields: Record<string, string>): PageAccess {
  const session: unknown = fields[SESSION] === undefined ? undefined : JSON.parse(fields[SESSION]);
  return {
    session: typeof session === 'string' ? session : undefined,
    shared: fields[SHARED] === 'true',
  };
}

/**
 * @internal Rebuilds a component object from its stored form, without children (the
 * unit of work links them once every loaded component exists).
 */
export function fromStored(stored: StoredComponent, tracker: ChangeTracker): Component {
  const ctor = componentClass(stored.type);
  const c = Object.create(ctor.prototype) as Component;
  const state: ComponentState = {
    id: stored.id,
    type: stored.type,
    props: new Map(),
    data: new Map(),
    events: new Map(),
    meta: new Map(),
    children: null,
    parent: null,
    scope: stored.scope,
    deleteFlag: true,
    tracker,
    stored: true,
  };
  for (const [field, text] of Object.entries(stored.fields)) {
    const value = JSON.parse(text) as JsonValue;
    if (field.startsWith(PROP)) state.props.set(field.slice(PROP.length), value);
    else if (field.startsWith(DATA)) state.data.set(field.slice(DATA.length), value);
    else if (field.startsWith(EVENT))
      state.events.set(field.slice(EVENT.length), decodeBinding(value));
    else if (field === BINDING) state.binding = value as ValueBinding;
    else if (field.startsWith(META)) {
      state.meta.set(field.slice(META.length), value);
      if (field === SHARED) state.deleteFlag = value !== true;
    }
  }
  if (stored.children === null && stored.childCount !== undefined)
    state.childCount = stored.childCount;
  (c as { _s: ComponentState })._s = state;
  return c;
}

function tagOf(type: string, props: Record<string, JsonValue>): string {
  return componentClass(type).tagFor(props);
}

function valueEventOf(type: string): 'input' | 'change' | undefined {
  const ctor = componentClass(type);
  return ctor.prototype instanceof FormControl
    ? (ctor as unknown as typeof FormControl).valueEvent
    : undefined;
}

/** @internal The browser's view of a component object. */
export function clientNodeOf(c: Component): ClientNode {
  const s = c._s;
  const props = Object.fromEntries(s.props);
  const node: ClientNode = { i: s.id, t: tagOf(s.type, props), p: props };
  if (s.events.size > 0) node.e = [...s.events.keys()];
  for (const [type, binding] of s.events) describeBinding(node, type, binding);
  if (s.children && s.children.length > 0) node.k = s.children.map((child) => child.id);
  const valueEvent = valueEventOf(s.type);
  if (valueEvent) node.v = valueEvent;
  return node;
}

/** @internal The browser's view of a stored component. */
export function clientNodeOfStored(stored: StoredComponent): ClientNode {
  const node: ClientNode = { i: stored.id, t: '', p: {} };
  const events: string[] = [];
  for (const [field, text] of Object.entries(stored.fields)) {
    if (field.startsWith(PROP)) node.p[field.slice(PROP.length)] = JSON.parse(text) as JsonValue;
    else if (field.startsWith(EVENT)) {
      const type = field.slice(EVENT.length);
      events.push(type);
      describeBinding(node, type, decodeBinding(JSON.parse(text) as JsonValue));
    }
  }
  node.t = tagOf(stored.type, node.p);
  if (events.length > 0) node.e = events;
  if (stored.children && stored.children.length > 0) node.k = stored.children;
  const valueEvent = valueEventOf(stored.type);
  if (valueEvent) node.v = valueEvent;
  return node;
}
