import { clientNodeOfStored } from '../components/serialize';
import { WebPage } from '../components/web-page';
import { isCollaborative, loadDocument } from '../docs/document-state';
import { toBase64 } from '../docs/yjs-codec';
import { PushpageStore } from '../store/store';
import { PageSnapshot } from './patch';

/** A stored page as a tab needs it, and who may see it. */
export interface LoadedSnapshot extends PageAccess {
  snapshot: PageSnapshot;
  /** Edit counts of the collaborative documents on the page that have any. */
  docs: Record<string, number>;
}

/** Who may see a page, from its stored `m:session` and `m:shared` fields. */
export interface PageAccess {
  /** The session that created the page (none for shared pages). */
  session?: string;
  shared: boolean;
}

/** Reads a page's access from its stored fields. */
export function accessOf(fields: Record<string, string>): PageAccess {
  const session: unknown =
    fields['m:session'] === undefined ? undefined : JSON.parse(fields['m:session']);
  return {
    session: typeof session === 'string' ? session : undefined,
    shared: fields['m:shared'] === 'true',
  };
}

/** Whether a session may see a page: its own pages, and shared pages. */
export function mayShow(page: PageAccess, sessionId: string): boolean {
  return page.shared || (page.session !== undefined && page.session === sessionId);
}

/**
 * Reads a whole page: every node it shows and the version of each scope in one round trip,
 * then the collaborative documents on it with their edit counts.
 */
export async function loadSnapshot(
  store: PushpageStore,
  pageId: string,
): Promise<LoadedSnapshot | null> {
  const records = await store.load([pageId], 'tree');
  const page = records[0];
  if (!page || page.id !== pageId || page.type !== WebPage.typeName) return null;
  const versions: Record<string, number> = {};
  for (const r of records) if (r.scope) versions[r.id] = r.version;
  const nodes = records.map(clientNodeOfStored);
  const docs: Record<string, number> = {};
  await Promise.all(
    nodes
      .filter((node) => isCollaborative(node.p))
      .map(async (node) => {
        const initial = typeof node.p.value === 'string' ? node.p.value : '';
        const { update, edits } = await loadDocument(store, node.i, initial);
        node.p.doc = toBase64(update);
        if (edits > 0) docs[node.i] = edits;
      }),
  );
  return { snapshot: { pageId, nodes, versions }, docs, ...accessOf(page.fields) };
}
