import { PushpageError } from '../errors';

/** Keys that reach into an object's prototype when a validator or a merge copies them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper than any valid message (a value is at most a list of choices). */
const MAX_DEPTH = 16;

/**
 * Refuses a message body with prototype keys at any depth, or nested deeper than any valid
 * message, before anything copies or validates it; `what` names the message in the error.
 */
export function checkPlainJson(body: unknown, what: string): void {
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH)
      throw new PushpageError('bad-request', `invalid ${what}: nested deeper than ${MAX_DEPTH}`);
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key))
        throw new PushpageError('bad-request', `invalid ${what}: property ${key} should not exist`);
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
}
