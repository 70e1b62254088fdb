export type { ClientNode } from '../protocol';
import type { NewStoredComponent, StoredComponent } from '../store/store';
import {
  ChangeTracker,
  Component,
  ComponentRefValue,
  ComponentState,
  EventType,
  refTo,
} from './component';
import { FormControl } from './html';
import { ClientNode, JsonValue } from '../protocol';
import { componentClass } from './registry';

const PROP = 'p:';
const DATA = 'd:';
const EVENT = 'e:';

/** The JSON text of a field value as stored. */
export function encodeField(value: JsonValue | Component): string {
  return JSON.stringify(
    value instanceof Component ? (refTo(value) satisfies ComponentRefValue) : value,
  );
}

/** @internal The fields of a component to store. */
export function toStoredFields(
  s: ComponentState,
  meta: Record<string, JsonValue> = {},
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of s.props) fields[PROP + name] = JSON.stringify(value);
  for (const [name, value] of s.data) fields[DATA + name] = encodeField(value);
  for (const [type, binding] of s.events) fields[EVENT + type] = JSON.stringify(binding.handler);
  for (const [name, value] of Object.entries(meta)) fields[`m:${name}`] = JSON.stringify(value);
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
      state.events.set(field.slice(EVENT.length) as EventType, { handler: value as string });
    else if (field.startsWith('m:')) {
      state.meta.set(field.slice(2), value);
      if (field === 'm:shared') state.deleteFlag = value !== true;
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
  if (s.children && s.children.length > 0) node.k = s.children.map((child) => child.id);
  const valueEvent = valueEventOf(s.type);
  if (valueEvent) node.v = valueEvent;
  return node;
}

/** @internal The browser's view of a stored component. */
export function clientNodeOfStored(stored: StoredComponent): ClientNode {
  const node: ClientNode = { i: stored.id, t: '', p: {} };
  const events: EventType[] = [];
  for (const [field, text] of Object.entries(stored.fields)) {
    if (field.startsWith(PROP)) node.p[field.slice(PROP.length)] = JSON.parse(text) as JsonValue;
    else if (field.startsWith(EVENT)) events.push(field.slice(EVENT.length) as EventType);
  }
  node.t = tagOf(stored.type, node.p);
  if (events.length > 0) node.e = events;
  if (stored.children && stored.children.length > 0) node.k = stored.children;
  const valueEvent = valueEventOf(stored.type);
  if (valueEvent) node.v = valueEvent;
  return node;
}
