import { PushpageStore } from '../store/store';
import { mergeUpdates, seedUpdate } from './yjs-codec';

/** A collaborative document as one Yjs update, and how many edits were stored for it. */
export interface LoadedDocument {
  update: Uint8Array;
  edits: number;
}

/**
 * The whole collaborative document of a component: its initial text (the same seed on every
 * replica) merged with every update stored since, and its edit count.
 */
export async function loadDocument(
  store: PushpageStore,
  componentId: string,
  initial: string,
): Promise<LoadedDocument> {
  const { updates, edits } = await store.loadDoc(componentId);
  return { update: mergeUpdates([seedUpdate(initial), ...updates]), edits };
}

/** The whole collaborative document of a component as one Yjs update. */
export async function documentState(
  store: PushpageStore,
  componentId: string,
  initial: string,
): Promise<Uint8Array> {
  return (await loadDocument(store, componentId, initial)).update;
}

/** Whether a stored or client node is a collaborative document. */
export function isCollaborative(props: Record<string, unknown>): boolean {
  return props.collab === true;
}
