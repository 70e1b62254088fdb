import { randomBytes } from 'node:crypto';

/** Component ids: 72 random bits, base64url, short enough to keep patches small. */
export function newComponentId(): string {
  return randomBytes(9).toString('base64url');
}

/** Page ids: 128 random bits, unguessable. */
export function newPageId(): string {
  return randomBytes(16).toString('base64url');
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True when `value` has the shape of an id this library issues. */
export function isWellFormedId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
