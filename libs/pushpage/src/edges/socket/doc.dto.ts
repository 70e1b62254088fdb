import * as Y from 'yjs';
import { PushpageError } from '../../errors';
import { DocumentEdit } from '../../collab/tab-documents';
import { fromBase64 } from '../../collab/yjs-codec';
import { componentMessage } from './component-message';

const FIELDS = new Set(['pageId', 'componentId', 'update', 'sv']);
/** A state vector names each client that edited once: a few bytes per client. */
const MAX_STATE_VECTOR_BYTES = 64 * 1024;

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

/** Checks a `doc` message, decoding its update and state vector; throws `bad-request` (or `too-large`) naming the problem. */
export function validateDoc(body: unknown, maxUpdateBytes: number): DocumentEdit {
  const { pageId, componentId, fields } = componentMessage(body, 'doc', FIELDS);
  const { update, sv } = fields;
  if (update === undefined && sv === undefined)
    throw new PushpageError('bad-request', 'invalid doc: send an update, a state vector or both');
  return {
    pageId,
    componentId,
    update: update === undefined ? undefined : fromBase64(update, 'update', maxUpdateBytes),
    stateVector: sv === undefined ? undefined : stateVectorOf(sv),
  };
}
