import { isCollaborative } from '../docs/document-state';
import { textOf } from '../docs/yjs-codec';
import { ClientNode, JsonValue, PageSnapshot } from '../protocol';
import { PageRevision, revisionNumber } from '../store/revision';

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
  /** Rises with every change of the page, of a shared element or of a document on it. */
  version: number;
  tree: PageViewNode;
}

/** A node's props; a collaborative document is shown as its current text in `value`. */
function readableProps(node: ClientNode): Record<string, JsonValue> {
  if (!isCollaborative(node.p) || typeof node.p.doc !== 'string') return node.p;
  const { doc, ...props } = node.p;
  return { ...props, value: textOf(Uint8Array.from(Buffer.from(doc, 'base64'))) };
}

/** A page's snapshot and the revision of the records it was built from. */
export interface RevisedSnapshot {
  snapshot: PageSnapshot;
  revision: PageRevision;
}

/** Nests a snapshot's flat nodes into a tree. */
export function pageView({ snapshot, revision }: RevisedSnapshot): PageView {
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
  return {
    pageId: snapshot.pageId,
    version: revisionNumber(revision),
    tree: build(root, 0),
  };
}
