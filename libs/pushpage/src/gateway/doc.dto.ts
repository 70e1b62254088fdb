import * as Y from 'yjs';
import { PushpageError } from '../errors';
import { checkPlainJson } from '../events/plain-json';
import { fromBase64 } from '../docs/yjs-codec';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const FIELDS = new Set(['pageId', 'componentId', 'update', 'sv']);
/** A state vector names each client that edited once: a few bytes per client. */
const MAX_STATE_VECTOR_BYTES = 64 * 1024;

/** A checked `doc` message: the update and state vector decoded. */
export interface DocRequest {
  pageId: string;
  componentId: string;
  update?: Uint8Array;
  stateVector?: Uint8Array;
}

/** A state vector, decoded to check it is one (before anything of the message is applied). */
function stateVectorOf(text: unknown): Uint8Array {
  const bytes = fromBase64(text, 'sv', MAX_STATE_VECTOR_BYTES);
  try {
    Y.decodeStateVector(bytes);
  } catch {
    throw new PushpageError('bad-request', 'invalid doc: sv is not a state vector');
  }
  return bytes;
}

/** Checks a `doc` message; throws `bad-request` (or `too-large`) naming the problem. */
export function validateDoc(body: unknown, maxUpdateBytes: number): DocRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new PushpageError('bad-request', 'doc needs a JSON object { pageId, componentId, ... }');
  checkPlainJson(body, 'doc');
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!FIELDS.has(key))
      throw new PushpageError('bad-request', `invalid doc: property ${key} should not exist`);
  const { pageId, componentId, update, sv } = fields;
  if (typeof pageId !== 'string' || !ID.test(pageId))
    throw new PushpageError('bad-request', 'invalid doc: pageId must be a page id');
  if (typeof componentId !== 'string' || !ID.test(componentId))
    throw new PushpageError('bad-request', 'invalid doc: componentId must be a component id');
  if (update === undefined && sv === undefined)
    throw new PushpageError('bad-request', 'invalid doc: send an update, a state vector or both');
  return {
    pageId,
    componentId,
    update: update === undefined ? undefined : fromBase64(update, 'update', maxUpdateBytes),
    stateVector: sv === undefined ? undefined : stateVectorOf(sv),
  };
}
