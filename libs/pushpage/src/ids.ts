import { randomBytes } from 'node:crypto';

/** Component ids: 72 random bits, base64url, short enough to keep patches small. */
export function newComponentId(): string {
  return randomBytes(9).toString('base64url');
}

/** Page ids: 128 random bits, unguessable. */
export function newPageId(): string {
  return randomBytes(16).toString('base64url');
}
