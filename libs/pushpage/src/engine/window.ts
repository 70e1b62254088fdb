import { ClientNode, MoreReply } from '../protocol';

/**
 * The nodes under `roots` (the roots too) as a tab is sent them: a child list longer than
 * `window` is cut to its first `window` children, with `m` saying how many it left out, and
 * the children left out are not sent, nor anything inside them. Nodes keep the order they
 * come in (parents first); nodes under no root are left out. Every whole page and every
 * `more` answer goes through here, so the page load, a socket's join and resync, and the
 * REST views all show the same window.
 */
export function windowNodes(
  nodes: readonly ClientNode[],
  roots: readonly string[],
  window: number,
): ClientNode[] {
  const byId = new Map(nodes.map((n) => [n.i, n]));
  const sent = new Map<string, ClientNode>();
  const stack = [...roots];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const node = byId.get(id);
    if (!node || sent.has(id)) continue;
    const cut = windowed(node, window);
    sent.set(id, cut);
    stack.push(...(cut.k ?? []));
  }
  const out: ClientNode[] = [];
  for (const node of nodes) {
    const cut = sent.get(node.i);
    if (cut) out.push(cut);
  }
  return out;
}

/** A node with its child list cut to `window` children (itself when it is not longer). */
function windowed(node: ClientNode, window: number): ClientNode {
  const children = node.k ?? [];
  if (children.length <= window) return node;
  return { ...node, k: children.slice(0, window), m: children.length - window };
}

/**
 * The children of `parentId` from index `from` on, as a `more` answer carries them: up to
 * `window` of them, each with what is inside it (windowed as a page is), and how many follow
 * them. `null` when no node has that id.
 */
export function childrenWindow(
  nodes: readonly ClientNode[],
  parentId: string,
  from: number,
  window: number,
): MoreReply | null {
  const parent = nodes.find((n) => n.i === parentId);
  if (!parent) return null;
  const children = parent.k ?? [];
  const k = children.slice(from, from + window);
  return {
    nodes: windowNodes(nodes, k, window),
    k,
    m: Math.max(0, children.length - from - k.length),
  };
}
