import { DocumentLogStore } from '../store/store';
import { mergeUpdates, seedUpdate } from './yjs-codec';

/**
 * The whole collaborative document of a component as one Yjs update: its initial text
 * (the same seed on every replica) merged with every update stored since.
 */
export async function documentState(
  store: DocumentLogStore,
  scope: string,
  componentId: string,
  initial: string,
): Promise<Uint8Array> {
  const log = await store.loadDocUpdates(scope, componentId);
  return mergeUpdates([seedUpdate(initial), ...log]);
}

/** Whether a stored or client node is a collaborative document. */
export function isCollaborative(props: Record<string, unknown>): boolean {
  return props.collab === true;
}
