import { newComponentId } from '../ids';
import { eventThrottle, type EventProperty } from '../event-wire';
import { removeClass, setClass, setClasses } from './classes';
import { checkedBinding, checkedThrottle, EventBindingOptions } from './event-binding';
import { HandlerFor, HandlerFunction, handlerNameOf } from './handler-ref';
import { JsonValue } from './json';
import { applyDelta, PropDelta, PropPath, PropPathError } from '../prop-path';
import type { ValueBinding } from './binding';

/**
 * The DOM events with an option of their own (`click: handler`); `component.on()` binds any
 * other DOM or component event by its name too.
 */
export const EVENT_TYPES = [
  'click',
  'input',
  'change',
  'focus',
  'blur',
  'keydown',
  'keyup',
  'submit',
  'mouseenter',
  'mouseleave',
] as const;

/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * What a component stores for a bound event: the handler's registered name, the event
 * properties it asked for (absent: none), and the throttle it set (absent: the event's
 * default, see `THROTTLED_EVENTS`).
 */
export interface EventBinding {
  handler: string;
  props?: readonly EventProperty[];
  throttle?: number;
}

/** Custom data kept with a component: JSON values and references to other components. */
export type ComponentData = Record<string, unknown>;

/**
 * The event options (`click:`, `input:`, ...): a handler for each DOM event, declared with
 * `handler()`, whose `self` the component `S` is and whose `msg` fits the event.
 */
export type EventOptions<S> = { [E in EventType]?: HandlerFor<S, E> };

/**
 * Options every component accepts; each sets the property of the same name.
 *
 * @typeParam D - the shape of the component's {@link Component.data}
 * @typeParam S - the component the options make: event handlers must take it as `self`. A
 *   component class types its constructor's options with itself (`ComponentOptions<D,
 *   Card<D>>`); a base class takes `ComponentOptions<D, never>`, any subclass's options,
 *   which the subclass's constructor checked.
 */
export interface ComponentOptions<
  D extends ComponentData = ComponentData,
  S = Component<D>,
> extends EventOptions<S> {
  /** Text content. Always rendered as text, never parsed as HTML. */
  text?: string;
  /** Space-separated CSS classes (Tailwind utilities work out of the box). */
  classes?: string;
  /** Inline CSS, as in a `style` attribute. */
  style?: string;
  /** Further HTML attributes (`title`, `aria-*`, `data-*`, ...). */
  attrs?: Record<string, string | number | boolean>;
  /** `false` hides the component (it stays in the tree). Default `true`. */
  show?: boolean;
  /** An animate.css animation name (`flip`, `bounceIn`, ...), replayed on every update while set. */
  animation?: string;
  /** HTML to render inside the element instead of `text` and children; sanitized by the tab. */
  innerHtml?: string;
  /** HTML rendered unsanitized, scripts included: trusted HTML only (see `unsafeInnerHtml`). */
  unsafeInnerHtml?: string;
  /** Milliseconds to wait after the last keystroke before an input is sent. */
  debounce?: number;
  /** Send input at most once per this many milliseconds. */
  throttle?: number;
  /** Add the new component to this parent (JustPy's `a=`). */
  parent?: Component;
  /** Initial custom data (see {@link Component.data}). */
  data?: Partial<D>;
  /**
   * `false` makes the component shared: it lives until deleted explicitly, may be shown by
   * many pages, and its updates reach every page showing it. Default `true`.
   */
  deleteFlag?: boolean;
}

/**
 * @internal A change to one field of a component, as the model reports it to its tracker;
 * an `undefined` value (or handler) removes the field. Only the serializer knows how each
 * kind of field is stored.
 */
export type FieldChange =
  /**
   * A rendering property, sent to tabs: stored whole (`value`); with `delta`, tabs get only
   * what changed inside it.
   */
  | { kind: 'prop'; name: string; value: JsonValue | undefined; delta?: PropDelta }
  /** Custom data (a reference to a component is stored as its {@link ComponentRefValue}). */
  | { kind: 'data'; key: string; value: JsonValue | undefined }
  /**
   * The handler bound to an event, by its registered name, the properties it asked for and
   * the throttle it set.
   */
  | {
      kind: 'event';
      type: string;
      handler: string | undefined;
      props?: readonly EventProperty[];
      throttle?: number;
    }
  /** Where a form control's value goes when a tab changes it (see `FormControl.bindValue`). */
  | { kind: 'binding'; binding: ValueBinding | undefined };

/**
 * Receives the changes made to components loaded from the store, so they can be
 * committed and pushed. Implemented by the unit of work; a component that was never
 * stored has none and simply keeps its state.
 * @internal
 */
export interface ChangeTracker {
  /** The handler read this component's state (its scope's version must still hold at commit). */
  recordRead(component: Component): void;
  recordField(component: Component, change: FieldChange): void;
  /** A form control's value binding was set, replaced or removed (stored or not yet). */
  bindingChanged(control: Component): void;
  recordInsert(parent: Component, child: Component, index: number): void;
  recordRemove(parent: Component, child: Component): void;
  recordScope(component: Component): void;
  /** Takes a component that was never stored (and its subtree) into this unit of work. */
  adopt(component: Component): void;
  resolve(id: string): Component | undefined;
  loadChildren(component: Component): Promise<void>;
  flush(): Promise<void>;
}

/** A stored reference from custom data to another component. */
export interface ComponentRefValue {
  $ref: string;
  /** The scope (page or shared element) that held the component when it was referenced. */
  in?: string;
}

/** The nearest scope (page or shared element) at or above a component, following parents. */
export function nearestScope(component: Component): Component | null {
  let c: Component | null = component;
  for (let depth = 0; c && depth < 10_000; depth++) {
    if (c._s.scope) return c;
    c = c._s.parent;
  }
  return null;
}

/** How custom data stores a reference to a component. */
export function refTo(component: Component): ComponentRefValue {
  const scope = nearestScope(component);
  return scope && scope !== component
    ? { $ref: component.id, in: scope.id }
    : { $ref: component.id };
}

/** @internal The state behind a component; the unit of work and the serializer read it. */
export interface ComponentState {
  id: string;
  type: string;
  props: Map<string, JsonValue>;
  data: Map<string, JsonValue | Component>;
  events: Map<string, EventBinding>;
  /** Framework metadata of stored roots (a page's session, route); never sent to browsers. */
  meta: Map<string, JsonValue>;
  /** A form control's value binding, if it has one; never sent to browsers. */
  binding?: ValueBinding;
  /** `null` when the children were not loaded (a shared element seen from a page). */
  children: Component[] | null;
  /** While `children` is `null`: how many the load said there are, with changes made since. */
  childCount?: number;
  parent: Component | null;
  /** Shared elements and pages: units of broadcast with their own room and version. */
  scope: boolean;
  deleteFlag: boolean;
  tracker: ChangeTracker | null;
  /** True once the component exists in the store. */
  stored: boolean;
}

/** Thrown when code reads children that the current handler did not load. */
export class ChildrenNotLoadedError extends Error {
  constructor(id: string) {
    super(
      `children of shared component ${id} are not loaded here; ` +
        'add/insert/remove work without them, call `await component.loadChildren()` to read them',
    );
  }
}

/** Thrown when an operation needs the component to be on a page or shared. */
export class DetachedComponentError extends Error {
  constructor(id: string, what: string) {
    super(`component ${id} is not on any page or shared element, so it cannot ${what}`);
  }
}

function isComponentRef(value: unknown): value is ComponentRefValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as ComponentRefValue).$ref === 'string' &&
    Object.keys(value).every((key) => key === '$ref' || key === 'in')
  );
}

/**
 * The base of every component: a node of a page's tree that lives in the store.
 *
 * Changing a property changes the component on the server; `update()` commits every
 * change made so far and pushes it to every browser tab that shows it.
 *
 * @typeParam D - the shape of {@link Component.data}, for custom attributes.
 */
export class Component<D extends ComponentData = ComponentData> {
  /** Name under which the component type is stored; set by each subclass. */
  static readonly typeName: string = 'Component';
  /** The HTML tag this component renders as. */
  static readonly tag: string = 'div';
  /** @internal Events only the server raises (a timer's tick): a tab sending one is refused. */
  static readonly serverEvents: readonly string[] = [];

  /** @internal The tag of a component with these props (a generic component keeps its own). */
  static tagFor(props: Record<string, JsonValue>): string {
    void props;
    return this.tag;
  }

  /** @internal */
  readonly _s: ComponentState;

  /**
   * Subclasses pass their options on; their own constructor types the options with the
   * subclass, so that its event handlers are checked against it.
   */
  constructor(options: ComponentOptions<D, never> = {}) {
    const ctor = this.constructor as typeof Component;
    this._s = {
      id: newComponentId(),
      type: ctor.typeName,
      props: new Map(),
      data: new Map(),
      events: new Map(),
      meta: new Map(),
      children: [],
      parent: null,
      scope: options.deleteFlag === false,
      deleteFlag: options.deleteFlag !== false,
      tracker: null,
      stored: false,
    };
    this.applyOptions(options);
  }

  /** Applies constructor options; subclasses extend it for their own. */
  protected applyOptions(options: ComponentOptions<D, never>): void {
    const { text, classes, style, attrs, show, animation, innerHtml, debounce, throttle } = options;
    if (text !== undefined) this.text = text;
    if (classes !== undefined) this.classes = classes;
    if (style !== undefined) this.style = style;
    if (attrs !== undefined) this.attrs = attrs;
    if (show !== undefined) this.show = show;
    if (animation !== undefined) this.animation = animation;
    if (innerHtml !== undefined) this.innerHtml = innerHtml;
    if (options.unsafeInnerHtml !== undefined) this.unsafeInnerHtml = options.unsafeInnerHtml;
    if (debounce !== undefined) this.setProp('debounce', debounce);
    if (throttle !== undefined) this.setProp('throttle', throttle);
    for (const type of EVENT_TYPES) {
      const handler = options[type];
      if (handler !== undefined) this.bind(type, handler);
    }
    if (options.data) {
      for (const [key, value] of Object.entries(options.data)) {
        (this.data as ComponentData)[key] = value;
      }
    }
    if (options.parent) options.parent.add(this);
  }

  /** The component's id, unique across the cluster. */
  get id(): string {
    return this._s.id;
  }

  /** Text content; always rendered as text. */
  get text(): string {
    return (this.getProp('text') as string | undefined) ?? '';
  }
  set text(value: string) {
    this.setProp('text', String(value));
  }

  /** Space-separated CSS classes. */
  get classes(): string {
    return (this.getProp('classes') as string | undefined) ?? '';
  }
  set classes(value: string) {
    this.setProp('classes', value);
  }

  /** Inline CSS. */
  get style(): string {
    return (this.getProp('style') as string | undefined) ?? '';
  }
  set style(value: string) {
    this.setProp('style', value);
  }

  /** Further HTML attributes. Assign a new object to change them. */
  get attrs(): Readonly<Record<string, string | number | boolean>> {
    return (this.getProp('attrs') as Record<string, string | number | boolean> | undefined) ?? {};
  }
  set attrs(value: Record<string, string | number | boolean>) {
    for (const [name, attr] of Object.entries(value)) {
      if (!/^[A-Za-z_:][\w:.-]*$/.test(name) || /^on/i.test(name))
        throw new Error(`refused attribute "${name}": event handler attributes run script`);
      if (typeof attr === 'string' && /^\s*(javascript|vbscript):/i.test(attr))
        throw new Error(`refused attribute ${name}="${attr.slice(0, 40)}": script URLs run script`);
    }
    this.setProp('attrs', { ...value });
  }

  /** `false` hides the component. */
  get show(): boolean {
    return this.getProp('show') !== false;
  }
  set show(value: boolean) {
    this.setProp('show', value ? undefined : false);
  }

  /** animate.css animation name, or `''` for none. */
  get animation(): string {
    return (this.getProp('animation') as string | undefined) ?? '';
  }
  set animation(value: string) {
    this.setProp('animation', value || undefined);
  }

  /**
   * HTML content, rendered instead of `text` and children. Tabs sanitize it (DOMPurify):
   * scripts, event handler attributes and `javascript:` URLs are removed before it renders.
   */
  get innerHtml(): string {
    return (this.getProp('innerHtml') as string | undefined) ?? '';
  }
  set innerHtml(value: string) {
    this.setProp('innerHtml', value || undefined);
  }

  /**
   * HTML content rendered exactly as given, scripts included: only for HTML your own code
   * wrote, never for anything a user typed. Prefer {@link Component.innerHtml}.
   */
  get unsafeInnerHtml(): string {
    return (this.getProp('unsafeInnerHtml') as string | undefined) ?? '';
  }
  set unsafeInnerHtml(value: string) {
    this.setProp('unsafeInnerHtml', value || undefined);
  }

  /** `false` for shared components, which live until deleted explicitly. */
  get deleteFlag(): boolean {
    return this._s.deleteFlag;
  }

  /**
   * Custom attributes that persist with the component (JustPy's `button.message = textarea`).
   * Values must be JSON or components; a component is stored as a reference and read back as
   * the same component. Assign to a key to change it: changes inside a stored object are not seen.
   */
  get data(): D {
    return new Proxy({} as D, {
      get: (_target, key) => (typeof key === 'string' ? this.readData(key) : undefined),
      set: (_target, key, value: unknown) => {
        if (typeof key !== 'string') return false;
        this.writeData(key, value);
        return true;
      },
      deleteProperty: (_target, key) => {
        if (typeof key !== 'string') return false;
        this.writeData(key, undefined);
        return true;
      },
      has: (_target, key) => {
        this._s.tracker?.recordRead(this);
        return typeof key === 'string' && this._s.data.has(key);
      },
      ownKeys: () => {
        this._s.tracker?.recordRead(this);
        return [...this._s.data.keys()];
      },
      getOwnPropertyDescriptor: (_target, key) =>
        typeof key === 'string' && this._s.data.has(key)
          ? { enumerable: true, configurable: true, writable: true, value: this.readData(key) }
          : undefined,
    });
  }

  private readData(key: string): unknown {
    this._s.tracker?.recordRead(this);
    const raw = this._s.data.get(key);
    if (isComponentRef(raw)) {
      const resolved = this._s.tracker?.resolve(raw.$ref);
      if (resolved) this._s.data.set(key, resolved);
      return resolved;
    }
    return raw;
  }

  private writeData(key: string, value: unknown): void {
    if (value === undefined) {
      this._s.data.delete(key);
      this.track((t) => t.recordField(this, { kind: 'data', key, value: undefined }));
      return;
    }
    if (value instanceof Component) {
      this._s.data.set(key, value);
      this.track((t) => t.recordField(this, { kind: 'data', key, value: { ...refTo(value) } }));
      return;
    }
    const json = toJsonValue(value, `data.${key}`);
    this._s.data.set(key, json);
    this.track((t) => t.recordField(this, { kind: 'data', key, value: json }));
  }

  /** Reads a rendering property by name. */
  getProp(name: string): JsonValue | undefined {
    this._s.tracker?.recordRead(this);
    return this._s.props.get(name);
  }

  /** Sets a rendering property by name (`undefined` removes it). */
  setProp(name: string, value: JsonValue | undefined): void {
    if (value === undefined) this._s.props.delete(name);
    else this._s.props.set(name, value);
    this.track((t) => t.recordField(this, { kind: 'prop', name, value }));
  }

  /**
   * Sets the value at `path` inside rendering property `name` (object keys and array
   * indexes; an index just past the end appends), and sends tabs only that value, not the
   * whole property: one row of a table, one option of a chart. Every container along the
   * path must exist; a path that does not fit throws `PropPathError` and changes nothing.
   * The property is stored whole, as with {@link Component.setProp}.
   */
  patchProp(name: string, path: PropPath, value: JsonValue): void {
    this.changePropPart(name, { op: 'put', path: [...path], value: toJsonValue(value, name) });
  }

  /**
   * Appends `items` to the array at `path` inside rendering property `name` and sends tabs
   * only the new items: points of a chart's series, rows streaming into a table. With
   * `keepLast`, the oldest items are dropped so that at most that many stay (tabs drop them
   * too). No array at the path throws `PropPathError` and changes nothing.
   */
  appendToProp(name: string, path: PropPath, items: readonly JsonValue[], keepLast?: number): void {
    const copied = toJsonValue(items, name) as JsonValue[];
    this.changePropPart(name, { op: 'push', path: [...path], items: copied, keepLast });
  }

  private changePropPart(name: string, delta: PropDelta): void {
    const current = this._s.props.get(name);
    if (current === undefined)
      throw new PropPathError(`property ${name} of component ${this.id} has no value to change`);
    const value = applyDelta(current, delta);
    this._s.props.set(name, value);
    this.track((t) => t.recordField(this, { kind: 'prop', name, value, delta }));
  }

  /** Replaces the class of the same Tailwind group (`bg-red-500` replaces `bg-blue-500`). */
  setClass(cls: string): this {
    this.classes = setClass(this.classes, cls);
    return this;
  }

  /** {@link Component.setClass} for each class of a space-separated list. */
  setClasses(list: string): this {
    this.classes = setClasses(this.classes, list);
    return this;
  }

  /** Removes one class. */
  removeClass(cls: string): this {
    this.classes = removeClass(this.classes, cls);
    return this;
  }

  /**
   * Binds a server-side handler to an event: any DOM event (`dblclick`, `contextmenu`,
   * `drop`) or event of a Quasar component (`row-click`, `update:model-value`), by its name
   * (see `EVENT_NAME_PATTERN`). The handler is declared with `handler()` (pass the field,
   * e.g. `this.sendMessage`), its `self` is this component, and `options.props` lists the
   * event's properties it reads in `msg.event`; `options.throttle` sends at most one event
   * every so many milliseconds, the last of a burst included:
   *
   * ```ts
   * box.on('keydown', this.shortcut, { props: ['key', 'ctrlKey'] });
   * pad.on('mousemove', this.moved, { props: ['offsetX', 'offsetY'], throttle: 200 });
   * ```
   *
   * The component stores the handler's name; a handler without one, a malformed event name,
   * an unknown property or a throttle that is not a number of milliseconds from 0 to
   * `MAX_EVENT_THROTTLE_MS` throws here, not when the event arrives.
   */
  on<E extends string, K extends EventProperty = never>(
    type: E,
    handler: NoInfer<HandlerFor<this, E, K>>,
    options: EventBindingOptions<K> = {},
  ): this {
    return this.bind(type, handler, options.props, options.throttle);
  }

  /** Binds a handler unchecked: {@link Component.on} and the options check what they take. */
  private bind(
    type: string,
    handler: HandlerFunction<never, never>,
    askedProps: readonly string[] = [],
    askedThrottle?: unknown,
  ): this {
    const props = checkedBinding(type, askedProps);
    const throttle = checkedThrottle(type, askedThrottle);
    const name = handlerNameOf(handler);
    const binding: EventBinding = {
      handler: name,
      ...(props.length > 0 ? { props } : {}),
      ...(throttle === undefined ? {} : { throttle }),
    };
    this._s.events.set(type, binding);
    this.track((t) => t.recordField(this, { kind: 'event', type, ...binding }));
    return this;
  }

  /** Removes the handler of an event. */
  off(type: string): this {
    if (this._s.events.delete(type))
      this.track((t) => t.recordField(this, { kind: 'event', type, handler: undefined }));
    return this;
  }

  /** The handler name bound to an event type, if any. */
  handlerFor(type: string): string | undefined {
    return this._s.events.get(type)?.handler;
  }

  /** The event properties the handler bound to an event type asked for. */
  eventPropertiesFor(type: string): readonly EventProperty[] {
    return this._s.events.get(type)?.props ?? [];
  }

  /**
   * The fewest milliseconds between two events of a type that tabs send: the binding's
   * `throttle`, or the event's default (`DEFAULT_EVENT_THROTTLE_MS` for `THROTTLED_EVENTS`,
   * else 0); `undefined` when no handler is bound to it.
   */
  eventThrottleFor(type: string): number | undefined {
    const binding = this._s.events.get(type);
    return binding && eventThrottle(type, binding.throttle);
  }

  /** The children, in order. Throws {@link ChildrenNotLoadedError} if they were not loaded. */
  get children(): readonly Component[] {
    if (this._s.children === null) throw new ChildrenNotLoadedError(this.id);
    this._s.tracker?.recordRead(this);
    return this._s.children;
  }

  /**
   * How many children this component has, also when they are not loaded (a shared element
   * seen from a page: the count its load read, with what this handler added or removed
   * since); `undefined` if nothing says. Reading it is reading the component, as reading
   * `children` is (a handler's first commit is then checked against concurrent changes).
   */
  get childCount(): number | undefined {
    this._s.tracker?.recordRead(this);
    return this._s.children?.length ?? this._s.childCount;
  }

  /**
   * Loads the children of a shared component seen from a page or handler (they are not
   * loaded up front, so adding a message to a long board stays cheap).
   */
  async loadChildren(): Promise<readonly Component[]> {
    if (this._s.children === null) {
      const tracker = this._s.tracker;
      if (!tracker) throw new DetachedComponentError(this.id, 'load children');
      await tracker.loadChildren(this);
    }
    return this.children;
  }

  /** Appends components as children (moving them if they had another parent). */
  add(...components: Component[]): this {
    for (const c of components) this.insertAt(c, -1);
    return this;
  }

  /** Inserts a component at `index` (0 is first; JustPy's `add_component(c, 0)`). */
  addComponent(component: Component, index = -1): this {
    this.insertAt(component, index);
    return this;
  }

  /** Removes a child component. */
  remove(component: Component): this {
    if (this._s.children) {
      const i = this._s.children.indexOf(component);
      if (i >= 0) this._s.children.splice(i, 1);
    } else if (this._s.childCount !== undefined) {
      this._s.childCount = Math.max(0, this._s.childCount - 1);
    }
    if (component._s.parent === this) component._s.parent = null;
    this.track((t) => t.recordRemove(this, component));
    return this;
  }

  /** Removes every child. Needs the children loaded. */
  removeAll(): this {
    for (const child of [...this.children]) this.remove(child);
    return this;
  }

  /**
   * Makes updates of this component reach `page` (JustPy's `add_page`): the component
   * becomes its own unit of broadcast, pushed to every tab that shows it.
   */
  addPage(_page: Component): this {
    if (!this._s.scope) {
      this._s.scope = true;
      this.track((t) => t.recordScope(this));
    }
    return this;
  }

  /** Commits every change made so far and pushes it to every tab that shows it. */
  async update(): Promise<void> {
    const tracker = this._s.tracker;
    if (!tracker) throw new DetachedComponentError(this.id, 'be updated');
    await tracker.flush();
  }

  private insertAt(child: Component, index: number): void {
    if (child === this) throw new Error(`component ${this.id} cannot contain itself`);
    const oldParent = child._s.parent;
    if (oldParent && !child._s.scope) oldParent.remove(child);
    if (this._s.children) {
      const at = index < 0 || index > this._s.children.length ? this._s.children.length : index;
      this._s.children.splice(at, 0, child);
    } else if (this._s.childCount !== undefined) {
      this._s.childCount += 1;
    }
    if (!child._s.scope) child._s.parent = this;
    const tracker = this._s.tracker;
    if (tracker) {
      tracker.adopt(child);
      if (this._s.stored) tracker.recordInsert(this, child, index);
    }
  }

  private track(record: (tracker: ChangeTracker) => void): void {
    const tracker = this._s.tracker;
    if (tracker && this._s.stored) record(tracker);
  }
}

/** Checks that a value survives JSON, so custom data reads back as it was written. */
export function toJsonValue(value: unknown, where: string): JsonValue {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${where} cannot be stored: not JSON`);
  return JSON.parse(text) as JsonValue;
}
