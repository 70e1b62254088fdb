import { notOnPage, otherSession, pageGone, sessionUnknown } from '../errors';
import { Component, nearestScope } from '../model/component';
import {
  accessOf,
  ClientNode,
  clientNodeOf,
  clientNodeOfStored,
  PageAccess,
} from '../model/serialize';
import { WebPage } from '../model/web-page';
import { documentState, isCollaborative } from '../collab/document-state';
import { toBase64 } from '../collab/yjs-codec';
import { PageRevision, revisionOf } from '../store/revision';
import { PushpageStore, StoredComponent } from '../store/store';
import { MoreReply } from '../protocol';
import { PageSnapshot } from './patch';
import { childrenWindow, windowNodes } from './window';

/** A stored page as a tab needs it, and who may see it. */
export interface LoadedSnapshot extends PageAccess {
  snapshot: PageSnapshot;
  /**
   * The revision of the records the snapshot was built from; its documents, read after,
   * may be newer (so an ETag of it never claims more than the snapshot shows).
   */
  revision: PageRevision;
}

/** Reads a loaded page's access from its metadata (as `accessOf` does from stored fields). */
export function accessOfPage(page: Component): PageAccess {
  const session = page._s.meta.get('session');
  return {
    session: typeof session === 'string' ? session : undefined,
    shared: page._s.meta.get('shared') === true,
  };
}

/** Whether a session may see a page: its own pages, and shared pages. */
export function mayShow(page: PageAccess, sessionId: string): boolean {
  return page.shared || (page.session !== undefined && page.session === sessionId);
}

/**
 * Throws unless the page exists (`access` is not null) and the session may see it: a missing
 * page is `page-gone`; a refusal is `session-unknown` when the request had no session this
 * server recognises, `other-session` otherwise.
 */
export function checkVisible<T extends PageAccess>(
  access: T | null | undefined,
  pageId: string,
  sessionId: string | null,
): asserts access is T {
  if (!access) throw pageGone(pageId);
  if (mayShow(access, sessionId ?? '')) return;
  throw sessionId ? otherSession(pageId) : sessionUnknown();
}

/**
 * Reads a whole page in one round trip (and each collaborative document on it after); child
 * lists longer than `window` are cut (see `windowNodes`).
 */
export async function loadSnapshot(
  store: PushpageStore,
  pageId: string,
  window: number,
): Promise<LoadedSnapshot | null> {
  return snapshotOf(store, pageId, await store.load([pageId], 'tree'), window);
}

/**
 * A page's snapshot from its records as `load([pageId], 'tree')` gives them, child lists
 * longer than `window` cut; reads the collaborative documents it shows. `null` if the
 * records are not that page.
 */
export async function snapshotOf(
  store: PushpageStore,
  pageId: string,
  records: readonly StoredComponent[],
  window: number,
): Promise<LoadedSnapshot | null> {
  const page = pageRecord(records, pageId);
  if (!page) return null;
  const nodes = windowNodes(records.map(clientNodeOfStored), [pageId], window);
  await readDocuments(store, nodes, (id) => scopeOfRecord(records, id));
  return withRevision(pageId, nodes, revisionOf(records), accessOf(page.fields));
}

/**
 * A page's snapshot from the components a unit of work holds (see
 * `UnitOfWork.currentPage`): what an event's handler left, without reading the page again;
 * child lists longer than `window` cut.
 */
export async function snapshotOfWork(
  store: PushpageStore,
  page: Component,
  view: { components: readonly Component[]; revision: PageRevision },
  window: number,
): Promise<LoadedSnapshot | null> {
  if (!(page instanceof WebPage)) return null;
  const byId = new Map(view.components.map((c) => [c.id, c]));
  const nodes = windowNodes(view.components.map(clientNodeOf), [page.id], window);
  await readDocuments(store, nodes, (id) => nearestScope(byId.get(id) ?? page)?.id ?? page.id);
  return withRevision(page.id, nodes, view.revision, accessOfPage(page));
}

/** Who may see a page, and the children of one of its components a `more` asked for. */
export interface LoadedChildren extends PageAccess {
  /** `null` when the component is not on the page. */
  children: MoreReply | null;
}

/**
 * The children of a component on a page from index `from` on, up to `window` of them (see
 * `childrenWindow`), with the page's access; reads the page whole, as a snapshot does, and
 * the collaborative documents among the children. `null` if the page does not exist.
 */
export async function loadChildren(
  store: PushpageStore,
  pageId: string,
  componentId: string,
  from: number,
  window: number,
): Promise<LoadedChildren | null> {
  const records = await store.load([pageId], 'tree');
  const page = pageRecord(records, pageId);
  if (!page) return null;
  const children = childrenWindow(records.map(clientNodeOfStored), componentId, from, window);
  if (children) await readDocuments(store, children.nodes, (id) => scopeOfRecord(records, id));
  return { ...accessOf(page.fields), children };
}

/** The children a `more` asked for, of a page the caller may see; `not-found` when not on it. */
export function childrenOnPage(
  loaded: LoadedChildren,
  pageId: string,
  componentId: string,
): MoreReply {
  if (!loaded.children) throw notOnPage(componentId, pageId);
  return loaded.children;
}

/** The page's own record among records read from it, if they are that page's. */
function pageRecord(
  records: readonly StoredComponent[],
  pageId: string,
): StoredComponent | undefined {
  const page = records[0];
  return page?.id === pageId && page.type === WebPage.typeName ? page : undefined;
}

/** Puts the current state of each collaborative document into its node. */
async function readDocuments(
  store: PushpageStore,
  nodes: ClientNode[],
  scopeOf: (id: string) => string,
): Promise<void> {
  await Promise.all(
    nodes
      .filter((node) => isCollaborative(node.p))
      .map(async (node) => {
        const initial = typeof node.p.value === 'string' ? node.p.value : '';
        node.p.doc = toBase64(await documentState(store, scopeOf(node.i), node.i, initial));
      }),
  );
}

function withRevision(
  pageId: string,
  nodes: ClientNode[],
  revision: PageRevision,
  access: PageAccess,
): LoadedSnapshot {
  const snapshot = { pageId, nodes, versions: { ...revision.versions } };
  return { snapshot, revision, ...access };
}

/** The id of the nearest scope holding a record among a page's records (the page if none). */
export function scopeOfRecord(records: readonly StoredComponent[], id: string): string {
  const parents = new Map<string, string>();
  const scopes = new Set<string>();
  for (const r of records) {
    if (r.scope) scopes.add(r.id);
    for (const child of r.children ?? []) parents.set(child, r.id);
  }
  let current: string | undefined = id;
  while (current !== undefined && !scopes.has(current)) current = parents.get(current);
  return current ?? records[0].id;
}
