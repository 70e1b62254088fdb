import * as Y from 'yjs';
import { PushpageError } from '../errors';

/** The name of the text inside every collaborative document: the editor's HTML. */
export const DOC_TEXT = 'html';

/**
 * The client id of the seed: every replica builds the same seed from the same initial
 * text, byte for byte, so merging it any number of times adds it once.
 */
const SEED_CLIENT = 0;

/** A Yjs update holding `initial` as the document's first content. */
export function seedUpdate(initial: string): Uint8Array {
  const doc = new Y.Doc({ gc: false });
  doc.clientID = SEED_CLIENT;
  if (initial) doc.getText(DOC_TEXT).insert(0, initial);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The updates merged into one (an empty document for none). */
export function mergeUpdates(updates: readonly Uint8Array[]): Uint8Array {
  return updates.length === 1 ? updates[0] : Y.mergeUpdates([...updates]);
}

/** The part of `update` that a peer with state vector `stateVector` lacks. */
export function missingPart(update: Uint8Array, stateVector: Uint8Array): Uint8Array {
  return Y.diffUpdate(update, stateVector);
}

/** The document's text. */
export function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const text = doc.getText(DOC_TEXT).toString();
  doc.destroy();
  return text;
}

/** An update that turns the document `current` into one holding exactly `text`. */
export function replacement(current: Uint8Array, text: string): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, current);
  const before = Y.encodeStateVector(doc);
  const ytext = doc.getText(DOC_TEXT);
  doc.transact(() => {
    ytext.delete(0, ytext.length);
    ytext.insert(0, text);
  });
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

/** Base64 → bytes, refusing anything that is not base64 or longer than `maxBytes`. */
export function fromBase64(text: unknown, what: string, maxBytes: number): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw new PushpageError('bad-request', `${what} must be base64 text`);
  if ((text.length / 4) * 3 > maxBytes + 2)
    throw new PushpageError('too-large', `${what} is larger than ${maxBytes} bytes`);
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

/** Bytes → base64. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Checks that bytes are a Yjs update that applies cleanly; throws `bad-request` otherwise. */
export function checkUpdate(update: Uint8Array): void {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
  } catch {
    throw new PushpageError('bad-request', 'update is not a valid document update');
  } finally {
    doc.destroy();
  }
}
