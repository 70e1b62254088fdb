/**
 * Handlers are stored by name, so that any replica can run them. A handler is declared with
 * {@link handler} as a field of a provider; when the app starts, the handler registry names
 * it `ClassName.field` (or the name given), and binding an event looks that name up.
 */
import type { EventMessage } from '../engine/event-message';
import type { EventProperty } from '../event-wire';
import type { Component } from './component';

/**
 * A server-side event handler: `(self, msg)`, sync or async. It runs with the provider that
 * holds it as `this`, which is why a bound copy (`.bind()`) is not a handler.
 */
export type HandlerFunction<S = Component, M = EventMessage> = (
  this: object,
  self: S,
  msg: M,
) => unknown;

/** Marks the handlers {@link handler} declared; no value has it, it exists for the compiler. */
declare const declaredWithHandler: unique symbol;

/**
 * A handler declared with {@link handler}: what `component.on()` and the event options
 * (`click:`, ...) take. A plain function or method is not one, so binding it fails to
 * compile; binding one whose `self` is not the component (a `Textarea` handler on a
 * `Button`) or whose `msg` does not fit the event fails too.
 *
 * @typeParam S - the component the handler expects as `self`
 * @typeParam M - the message it expects as `msg`
 */
export type HandlerRef<S = Component, M = EventMessage> = HandlerFunction<S, M> & {
  readonly [declaredWithHandler]: true;
};

/**
 * The message a handler bound to a `type` event receives: an {@link EventMessage} of that
 * type, carrying the event properties `K` the binding asked for, on a page whose data the
 * binding does not know.
 */
export type MessageFor<E extends string, K extends EventProperty = never> =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a component does not know its page's data type: the handler's own `EventMessage<P>` says it
  EventMessage<any, E, K>;

/**
 * A handler that fits an event of `type` on a component `S`, bound with the event
 * properties `K`: one that reads a property the binding did not ask for does not fit.
 */
export type HandlerFor<S, E extends string, K extends EventProperty = never> = HandlerRef<
  S,
  MessageFor<E, K>
>;

const names = new WeakMap<HandlerFunction<never, never>, string | undefined>();
/** Every name a handler has: given, or given by the handler registry. */
const knownNames = new Set<string>();
/** The names given with `handler(name, fn)`. */
const givenNames = new Set<string>();

/**
 * Declares an event handler: `(self, msg)`, sync or async, where `self` is the component
 * the event happened on and `msg` the {@link EventMessage}. Assign it to a field of a page
 * class (or any Nest provider), which names it `ClassName.field` when the app starts, or
 * give it a name of its own; the name is what components store, so every replica runs it.
 * Return `undefined` to have the event's page updated, anything else to skip that.
 *
 * ```ts
 * readonly greet = handler((self: Button<{ out: Div }>, msg) => {
 *   self.data.out.text = `Hello from page ${msg.pageId}`;
 * });
 * ```
 */
export function handler<S = Component, M = EventMessage>(
  fn: HandlerFunction<S, M>,
): HandlerRef<S, M>;
/** The same, stored under `name` instead of `ClassName.field` (names must be unique). */
export function handler<S = Component, M = EventMessage>(
  name: string,
  fn: HandlerFunction<S, M>,
): HandlerRef<S, M>;
export function handler<S, M>(
  nameOrFn: string | HandlerFunction<S, M>,
  fn?: HandlerFunction<S, M>,
): HandlerRef<S, M> {
  const [name, body] = typeof nameOrFn === 'string' ? [nameOrFn, fn] : [undefined, nameOrFn];
  if (typeof body !== 'function') throw new Error('handler() takes a function');
  names.set(body, name);
  if (name !== undefined) {
    givenNames.add(name);
    knownNames.add(name);
  }
  return body as HandlerRef<S, M>;
}

/** @internal Whether a value was declared with {@link handler}. */
export function isDeclaredHandler(value: unknown): value is HandlerFunction<never, never> {
  return typeof value === 'function' && names.has(value as HandlerFunction<never, never>);
}

/** @internal The names given with `handler(name, fn)`. */
export function givenHandlerNames(): string[] {
  return [...givenNames];
}

/**
 * @internal Names a declared handler, unless it has a name already; returns its name. The
 * handler registry calls it for the handlers it finds in providers.
 */
export function nameHandler(fn: HandlerFunction<never, never>, name: string): string {
  const given = names.get(fn) ?? name;
  names.set(fn, given);
  knownNames.add(given);
  return given;
}

/** Resolves a handler reference to its name, or throws if it has none. */
export function handlerNameOf(ref: HandlerFunction<never, never> | string): string {
  if (typeof ref === 'string') {
    if (!knownNames.has(ref)) {
      throw new Error(`unknown handler "${ref}": no handler() has this name`);
    }
    return ref;
  }
  const name = names.get(ref);
  if (!name) {
    throw new Error(
      `handler ${ref.name || '(anonymous)'} is not registered: declare it with handler() in a ` +
        "field of a provider (named when the app starts) or name it: handler('name', fn)",
    );
  }
  return name;
}
