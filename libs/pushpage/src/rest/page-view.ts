import { createHash } from 'node:crypto';
import { isCollaborative } from '../docs/document-state';
import { textOf } from '../docs/yjs-codec';
import { ClientNode, JsonValue, PageSnapshot } from '../protocol';

/** A component as the REST API shows it: readable names, children nested. */
export interface PageViewNode {
  id: string;
  tag: string;
  props: Record<string, JsonValue>;
  /** DOM events the component listens to. */
  events?: string[];
  /** For form controls: the event that carries their value (`input` or `change`). */
  valueEvent?: 'input' | 'change';
  children?: PageViewNode[];
}

/** What the REST API answers for a page. */
export interface PageView {
  pageId: string;
  /** Rises with every change of the page or of a shared element on it. */
  version: number;
  tree: PageViewNode;
}

/** A page's version for HTTP clients: the sum of its scopes' versions, all of which only rise. */
export function pageVersion(snapshot: PageSnapshot): number {
  return Object.values(snapshot.versions).reduce((sum, v) => sum + v, 0);
}

/** A weak ETag naming exactly one state of a page: every scope it shows and its version. */
export function versionsEtag(versions: Record<string, number>): string {
  const sorted = Object.entries(versions).sort(([a], [b]) => (a < b ? -1 : 1));
  return `W/"${createHash('sha1').update(JSON.stringify(sorted)).digest('base64url').slice(0, 20)}"`;
}

/** The ETag of a snapshot. */
export function pageEtag(snapshot: PageSnapshot): string {
  return versionsEtag(snapshot.versions);
}

/** A node's props; a collaborative document is shown as its current text in `value`. */
function readableProps(node: ClientNode): Record<string, JsonValue> {
  if (!isCollaborative(node.p) || typeof node.p.doc !== 'string') return node.p;
  const { doc, ...props } = node.p;
  return { ...props, value: textOf(Uint8Array.from(Buffer.from(doc, 'base64'))) };
}

/** Nests a snapshot's flat nodes into a tree. */
export function pageView(snapshot: PageSnapshot): PageView {
  const byId = new Map(snapshot.nodes.map((n) => [n.i, n]));
  const build = (node: ClientNode, depth: number): PageViewNode => {
    const view: PageViewNode = { id: node.i, tag: node.t, props: readableProps(node) };
    if (node.e && node.e.length > 0) view.events = node.e;
    if (node.v) view.valueEvent = node.v;
    const children = (node.k ?? [])
      .map((id) => byId.get(id))
      .filter((c): c is ClientNode => c !== undefined);
    if (children.length > 0 && depth < 1000)
      view.children = children.map((c) => build(c, depth + 1));
    return view;
  };
  const root = byId.get(snapshot.pageId);
  if (!root) throw new Error(`snapshot of ${snapshot.pageId} has no root node`);
  return { pageId: snapshot.pageId, version: pageVersion(snapshot), tree: build(root, 0) };
}
