import { isCollaborative } from '../../collab/document-state';
import { textOf } from '../../collab/yjs-codec';
import {
  ChildrenView,
  ClientNode,
  JsonValue,
  MoreReply,
  PageSnapshot,
  PageView,
  PageViewNode,
} from '../../protocol';
import { PageRevision, revisionNumber } from '../../store/revision';

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

/** Nests flat nodes (parents first) into trees, one for each of `roots`. */
function nest(nodes: readonly ClientNode[], roots: readonly string[]): PageViewNode[] {
  const byId = new Map(nodes.map((n) => [n.i, n]));
  const present = (ids: readonly string[]) =>
    ids.map((id) => byId.get(id)).filter((c): c is ClientNode => c !== undefined);
  const build = (node: ClientNode, depth: number): PageViewNode => {
    const view: PageViewNode = { id: node.i, tag: node.t, props: readableProps(node) };
    if (node.e && node.e.length > 0) view.events = node.e;
    if (node.a) view.eventProps = node.a;
    if (node.r) view.eventThrottles = node.r;
    if (node.v) view.valueEvent = node.v;
    const children = present(node.k ?? []);
    if (children.length > 0 && depth < 1000)
      view.children = children.map((c) => build(c, depth + 1));
    if (node.m) view.more = node.m;
    return view;
  };
  return present(roots).map((root) => build(root, 0));
}

/** Nests a snapshot's flat nodes into a tree. */
export function pageView({ snapshot, revision }: RevisedSnapshot): PageView {
  const [tree] = nest(snapshot.nodes, [snapshot.pageId]);
  if (!tree) throw new Error(`snapshot of ${snapshot.pageId} has no root node`);
  return { pageId: snapshot.pageId, version: revisionNumber(revision), tree };
}

/** Nests the children of a `more` answer, as the REST API shows them. */
export function childrenView({ nodes, k, m }: MoreReply): ChildrenView {
  return { children: nest(nodes, k), more: m };
}
