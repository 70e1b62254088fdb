import * as Y from 'yjs';
import {
  checkUpdate,
  fromBase64,
  mergeUpdates,
  missingPart,
  replacement,
  seedUpdate,
  textOf,
  toBase64,
} from '../../../libs/pushpage/src/collab/yjs-codec';
import { PushpageError } from '../../../libs/pushpage/src';

function edit(base: Uint8Array, change: (text: Y.Text) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  const before = Y.encodeStateVector(doc);
  change(doc.getText('html'));
  return Y.encodeStateAsUpdate(doc, before);
}

describe('collaborative document encoding', () => {
  it('builds the same seed on every replica, so merging it twice adds it once', () => {
    expect(toBase64(seedUpdate('<p>hi</p>'))).toBe(toBase64(seedUpdate('<p>hi</p>')));
    const merged = mergeUpdates([seedUpdate('<p>hi</p>'), seedUpdate('<p>hi</p>')]);
    expect(textOf(merged)).toBe('<p>hi</p>');
  });

  it('merges concurrent edits of two tabs in either order to the same text', () => {
    const seed = seedUpdate('middle');
    const left = edit(seed, (t) => t.insert(0, 'left '));
    const right = edit(seed, (t) => t.insert(6, ' right'));
    const one = textOf(mergeUpdates([seed, left, right]));
    const other = textOf(mergeUpdates([right, seed, left]));
    expect(one).toBe('left middle right');
    expect(other).toBe(one);
  });

  it('answers a state vector with only what is missing', () => {
    const seed = seedUpdate('abc');
    const more = edit(seed, (t) => t.insert(3, 'def'));
    const peer = new Y.Doc();
    Y.applyUpdate(peer, seed);
    const missing = missingPart(mergeUpdates([seed, more]), Y.encodeStateVector(peer));
    Y.applyUpdate(peer, missing);
    expect(peer.getText('html').toString()).toBe('abcdef');
    expect(missing.length).toBeLessThan(mergeUpdates([seed, more]).length);
  });

  it('replaces a whole document with one update', () => {
    const seed = seedUpdate('old text');
    const update = replacement(seed, '<p>new</p>');
    expect(textOf(mergeUpdates([seed, update]))).toBe('<p>new</p>');
  });

  it('refuses bytes that are not an update, text that is not base64, and oversized updates', () => {
    expect(() => checkUpdate(Uint8Array.from([1, 2, 3, 4, 5, 99, 200]))).toThrow(PushpageError);
    expect(() => checkUpdate(seedUpdate('fine'))).not.toThrow();
    expect(() => fromBase64('not base64!', 'update', 100)).toThrow(/base64/);
    expect(() => fromBase64(42, 'update', 100)).toThrow(/base64/);
    expect(() => fromBase64(Buffer.alloc(300).toString('base64'), 'update', 100)).toThrow(
      /larger than 100 bytes/,
    );
    expect([...fromBase64(toBase64(Uint8Array.from([0, 255])), 'update', 100)]).toEqual([0, 255]);
  });
});
