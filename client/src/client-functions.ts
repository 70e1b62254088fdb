import { JsonValue } from './types';

/** A function the app's script registers for handlers to call (`msg.client.call`). */
export type ClientFunction = (...args: JsonValue[]) => unknown;

/**
 * The functions the app's scripts registered by name: `window.pushpage.register(name, fn)`.
 * A name registered again replaces the function.
 */
export class ClientFunctions {
  private readonly functions = new Map<string, ClientFunction>();

  register(name: string, fn: ClientFunction): void {
    if (typeof name !== 'string' || name === '')
      throw new TypeError('pushpage.register: the name must be a non-empty string');
    if (typeof fn !== 'function')
      throw new TypeError(`pushpage.register(${JSON.stringify(name)}): pass a function`);
    this.functions.set(name, fn);
  }

  get(name: string): ClientFunction | undefined {
    return this.functions.get(name);
  }
}
