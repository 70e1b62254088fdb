import { declareHandler, HandlerFunction } from '../components/handler-ref';

/**
 * Marks a method of a page class (or any Nest provider) as an event handler, callable as
 * `(self, msg)`. It is stored by name (`ClassName.method`, or the name given), so every
 * replica can run it; bind it with `component.on('click', this.method)` or the `click:`
 * option. Return `undefined` to have the event's page updated, anything else to skip that.
 */
export function Handler(name?: string): MethodDecorator {
  return (target, key, descriptor) => {
    const fn = descriptor.value;
    if (typeof fn !== 'function') throw new Error(`@Handler() must decorate a method`);
    const className = (target as { constructor: { name: string } }).constructor.name;
    declareHandler(
      target,
      String(key),
      fn as HandlerFunction,
      name ?? `${className}.${String(key)}`,
    );
  };
}
