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
  /** Rises with every change of the page, of a shared element or of a document on it. */
  version: number;
  tree: PageViewNode;
}

/**
 * One state of a page as HTTP clients tell states apart: the version of every scope it shows
 * and the edit count of every collaborative document on it. All of these only rise.
 */
export interface PageRevision {
  versions: Record<string, number>;
  docs: Record<string, number>;
}

const sum = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((total, n) => total + n, 0);

/** A page's version for HTTP clients: the sum of everything in its revision. */
export function pageVersion(revision: PageRevision): number {
  return sum(revision.versions) + sum(revision.docs);
}

/** A weak ETag naming exactly one revision of a page. */
export function revisionEtag(revision: PageRevision): string {
  const sorted = (counts: Record<string, number>): [string, number][] =>
    Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1));
  const text = JSON.stringify([sorted(revision.versions), sorted(revision.docs)]);
  return `W/"${createHash('sha1').update(text).digest('base64url').slice(0, 20)}"`;
}

/** A node's props; a collaborative document is shown as its current text in `value`. */
function readableProps(node: ClientNode): Record<string, JsonValue> {
  if (!isCollaborative(node.p) || typeof node.p.doc !== 'string') return node.p;
  const { doc, ...props } = node.p;
  return { ...props, value: textOf(Uint8Array.from(Buffer.from(doc, 'base64'))) };
}

/** A page's snapshot and the edit counts of its documents, as loaded together. */
export interface RevisedSnapshot {
  snapshot: PageSnapshot;
  docs: Record<string, number>;
}

/** The revision a loaded snapshot shows. */
export function revisionOf({ snapshot, docs }: RevisedSnapshot): PageRevision {
  return { versions: snapshot.versions, docs };
}

/** Nests a snapshot's flat nodes into a tree. */
export function pageView(loaded: RevisedSnapshot): PageView {
  const { snapshot } = loaded;
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
    version: pageVersion(revisionOf(loaded)),
    tree: build(root, 0),
  };
}
