import { clientNodeOfStored } from '../components/serialize';
import { PushpageStore } from '../store/store';
import { PageSnapshot } from './patch';

/** Reads a whole page from the store: every node it shows and the version of each scope. */
export async function loadSnapshot(
  store: PushpageStore,
  pageId: string,
): Promise<PageSnapshot | null> {
  const records = await store.load([pageId], 'tree');
  if (records.length === 0 || records[0].id !== pageId || records[0].type !== 'WebPage')
    return null;
  const versions: Record<string, number> = {};
  for (const r of records) if (r.scope) versions[r.id] = r.version;
  return { pageId, nodes: records.map(clientNodeOfStored), versions };
}
