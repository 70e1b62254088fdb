/**
 * Handlers are stored by name, so that any replica can run them: a method decorated with
 * `@Handler()` gets a name when its class is defined, and binding an event looks it up.
 */

/** A server-side event handler: `(self, msg)`, sync or async. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers narrow `self` and `msg` to their own types
export type HandlerFunction = (self: any, msg: any) => unknown;

/** A handler method (decorated with `@Handler()`) or its registered name. */
export type HandlerRef = HandlerFunction | string;

const namesByFunction = new WeakMap<HandlerFunction, string>();
const declaredNames = new Map<string, { owner: object; method: string }>();

/** @internal Records a decorated method under its name; called by `@Handler()`. */
export function declareHandler(
  owner: object,
  method: string,
  fn: HandlerFunction,
  name: string,
): void {
  const existing = declaredNames.get(name);
  if (existing && (existing.owner !== owner || existing.method !== method)) {
    throw new Error(
      `two handlers are named "${name}"; give one another name with @Handler('name')`,
    );
  }
  declaredNames.set(name, { owner, method });
  namesByFunction.set(fn, name);
}

/** @internal Where a handler name was declared: its class prototype and method. */
export function handlerDeclaration(name: string): { owner: object; method: string } | undefined {
  return declaredNames.get(name);
}

/** @internal All declared handler names. */
export function declaredHandlerNames(): string[] {
  return [...declaredNames.keys()];
}

/** Resolves a handler reference to its registered name, or throws if it has none. */
export function handlerNameOf(ref: HandlerRef): string {
  if (typeof ref === 'string') {
    if (!declaredNames.has(ref)) {
      throw new Error(`unknown handler "${ref}": no @Handler() method has this name`);
    }
    return ref;
  }
  const name = namesByFunction.get(ref);
  if (!name) {
    throw new Error(
      `handler ${ref.name || '(anonymous)'} is not registered: decorate the method with @Handler() ` +
        'and pass the method itself (not a bound copy or an arrow function)',
    );
  }
  return name;
}
