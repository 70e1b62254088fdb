/**
 * Changes to a part of a property's value (a point appended to a chart's series, one row of
 * a table), as the server makes them and tabs apply them: paths into JSON values, checked the
 * same way on both sides. Types, constants and pure functions only, so the browser runtime
 * shares this file.
 */
import type { JsonValue, PropPath } from './protocol';

export type { PropPath };

/** The most steps a path may have. */
export const MAX_PATH_DEPTH = 16;

/** The longest key a path may name. */
export const MAX_PATH_KEY_LENGTH = 100;

/** Keys a path never names: they reach into a JavaScript object's prototype. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A path that does not fit the value it is applied to, or is not a path at all. */
export class PropPathError extends TypeError {
  override readonly name = 'PropPathError';
}

/** What changed inside a property: a value put at a path, or items appended to an array. */
export type PropDelta =
  | { op: 'put'; path: PropPath; value: JsonValue }
  | { op: 'push'; path: PropPath; items: readonly JsonValue[]; keepLast?: number };

/**
 * Why `path` cannot be a path, or `undefined` when it can be one: an array of 0 to
 * {@link MAX_PATH_DEPTH} steps, each a non-empty key of at most {@link MAX_PATH_KEY_LENGTH}
 * characters (never `__proto__`, `constructor` or `prototype`) or a whole number from 0.
 */
export function pathProblem(path: unknown): string | undefined {
  if (!Array.isArray(path)) return 'a path must be an array of keys and indexes';
  if (path.length > MAX_PATH_DEPTH) return `a path may have at most ${MAX_PATH_DEPTH} steps`;
  for (const step of path as unknown[]) {
    if (typeof step === 'number') {
      if (!Number.isSafeInteger(step) || step < 0)
        return `${step} is not an index: a whole number from 0`;
    } else if (typeof step === 'string') {
      if (step === '' || step.length > MAX_PATH_KEY_LENGTH)
        return `a key must have 1 to ${MAX_PATH_KEY_LENGTH} characters`;
      if (UNSAFE_KEYS.has(step)) return `${JSON.stringify(step)} cannot be a key of a path`;
    } else {
      return 'each step of a path is a key (text) or an index (a whole number)';
    }
  }
  return undefined;
}

/**
 * The most items an append may keep (`keepLast`): a whole number from 1. Why not, or
 * `undefined` when it is one (or absent).
 */
export function keepLastProblem(keepLast: unknown): string | undefined {
  if (keepLast === undefined) return undefined;
  return typeof keepLast === 'number' && Number.isSafeInteger(keepLast) && keepLast >= 1
    ? undefined
    : 'keepLast must be a whole number from 1';
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a path goes wrong, for messages: `options.series[0]`. */
function shown(path: PropPath, upTo: number): string {
  return path
    .slice(0, upTo)
    .map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`))
    .join('');
}

/**
 * `root` with `change` applied at `path`, copying only the containers along the path (the
 * rest is shared with `root`, which is left as it was). `change` gets what is at the path
 * (`undefined` for a key not there yet) and returns what goes there.
 */
function withChangeAt(
  root: JsonValue,
  path: PropPath,
  change: (current: JsonValue | undefined, where: string) => JsonValue,
): JsonValue {
  const problem = pathProblem(path);
  if (problem) throw new PropPathError(problem);
  const rebuild = (value: JsonValue, depth: number): JsonValue => {
    if (depth === path.length) return change(value, shown(path, depth) || 'the value');
    const step = path[depth];
    if (typeof step === 'number') {
      if (!Array.isArray(value))
        throw new PropPathError(`${shown(path, depth) || 'the value'} is not an array`);
      // the last step may name the index just past the end: a put there appends
      const last = depth === path.length - 1;
      if (step > value.length || (step === value.length && !last))
        throw new PropPathError(`${shown(path, depth + 1)} is past the end of the array`);
      const copy = value.slice();
      copy[step] =
        step === value.length
          ? change(undefined, shown(path, depth + 1))
          : rebuild(value[step], depth + 1);
      return copy;
    }
    if (!isObject(value))
      throw new PropPathError(`${shown(path, depth) || 'the value'} is not an object`);
    const inside = Object.prototype.hasOwnProperty.call(value, step) ? value[step] : undefined;
    if (inside === undefined && depth < path.length - 1)
      throw new PropPathError(`${shown(path, depth + 1)} does not exist`);
    const next =
      inside === undefined ? change(undefined, shown(path, depth + 1)) : rebuild(inside, depth + 1);
    return { ...value, [step]: next };
  };
  return rebuild(root, 0);
}

/**
 * `root` with `value` at `path`: the key set (added if the object lacks it) or the array
 * element replaced (or appended, at the index just past the end). Every container along the
 * path must exist. Throws {@link PropPathError} when the path does not fit.
 */
export function putAt(root: JsonValue, path: PropPath, value: JsonValue): JsonValue {
  if (path.length === 0) return value;
  return withChangeAt(root, path, () => value);
}

/**
 * `root` with `items` appended to the array at `path`; with `keepLast`, the oldest items
 * are dropped so that at most that many stay (a sliding window). Throws
 * {@link PropPathError} when there is no array at the path.
 */
export function pushAt(
  root: JsonValue,
  path: PropPath,
  items: readonly JsonValue[],
  keepLast?: number,
): JsonValue {
  const problem = keepLastProblem(keepLast);
  if (problem) throw new PropPathError(problem);
  const append = (current: JsonValue | undefined, where: string): JsonValue => {
    if (!Array.isArray(current)) throw new PropPathError(`${where} is not an array`);
    const joined = current.concat(items as JsonValue[]);
    return keepLast !== undefined && joined.length > keepLast
      ? joined.slice(joined.length - keepLast)
      : joined;
  };
  if (path.length === 0) return append(root, 'the value');
  return withChangeAt(root, path, append);
}

/** `root` with a {@link PropDelta} applied (see {@link putAt} and {@link pushAt}). */
export function applyDelta(root: JsonValue, delta: PropDelta): JsonValue {
  return delta.op === 'put'
    ? putAt(root, delta.path, delta.value)
    : pushAt(root, delta.path, delta.items, delta.keepLast);
}
