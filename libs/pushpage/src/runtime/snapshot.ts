import { clientNodeOfStored } from '../components/serialize';
import { PushpageStore } from '../store/store';
import { PageSnapshot } from './patch';

/** A stored page as a tab needs it, and who may see it. */
export interface LoadedSnapshot {
  snapshot: PageSnapshot;
  /** The session that created the page (none for shared pages). */
  session?: string;
  shared: boolean;
}

/** Whether a session may see a page: its own pages, and shared pages. */
export function mayShow(page: { session?: string; shared: boolean }, sessionId: string): boolean {
  return page.shared || (page.session !== undefined && page.session === sessionId);
}

/** Reads a whole page in one round trip: every node it shows and the version of each scope. */
export async function loadSnapshot(
  store: PushpageStore,
  pageId: string,
): Promise<LoadedSnapshot | null> {
  const records = await store.load([pageId], 'tree');
  const page = records[0];
  if (!page || page.id !== pageId || page.type !== 'WebPage') return null;
  const versions: Record<string, number> = {};
  for (const r of records) if (r.scope) versions[r.id] = r.version;
  const session = page.fields['m:session'];
  return {
    snapshot: { pageId, nodes: records.map(clientNodeOfStored), versions },
    session: session === undefined ? undefined : (JSON.parse(session) as string),
    shared: page.fields['m:shared'] === 'true',
  };
}
