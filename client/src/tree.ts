import { reactive, shallowReactive, toRaw } from 'vue';
import { PropPathError, pushAt, putAt } from '../../libs/pushpage/src/prop-path';
import { ClientNode, JsonValue, MoreReply, PageSnapshot, ScopePatch, WireOp } from './types';

/** A node as rendered: the wire node plus a counter that replays its animation. */
export interface LiveNode {
  i: string;
  t: string;
  p: Record<string, JsonValue>;
  e: string[];
  /** the event properties each event of `e` that asks for some sends */
  a: Record<string, string[]>;
  /** the throttle (ms) of each event of `e` whose binding set one */
  r: Record<string, number>;
  k: string[];
  /** how many children after `k` the tab does not hold (a window of a long list) */
  m: number;
  v?: 'input' | 'change';
  /** bumped on every change while an animation is set, to play it again */
  replay: number;
}

/** What applying a patch led to. */
export type PatchResult = 'applied' | 'stale' | 'gap' | 'unknown';

function live(node: ClientNode): LiveNode {
  return reactive({
    i: node.i,
    t: node.t,
    p: { ...node.p },
    e: [...(node.e ?? [])],
    a: { ...node.a },
    r: { ...node.r },
    k: [...(node.k ?? [])],
    m: node.m ?? 0,
    v: node.v,
    replay: 0,
  });
}

/**
 * The page as this tab knows it: a flat map of nodes, and the version of each scope (the
 * page and its shared elements). Patches apply in version order; a gap or an unknown node
 * means the tab must fetch the whole page.
 *
 * A node with `m > 0` holds a window of a long child list: its first children (those
 * `k` names) and a count of the rest. A child inserted past the held ones (or appended)
 * only raises the count, and a removed child the tab does not hold lowers it; one inserted
 * among them is shown, so the newest message at the top of a board appears as ever. The
 * held list may grow past the window that way. `addChildren` takes the next ones.
 */
export class PageTree {
  readonly nodes = shallowReactive(new Map<string, LiveNode>());
  readonly versions = new Map<string, number>();
  pageId = '';

  load(snapshot: PageSnapshot): void {
    this.pageId = snapshot.pageId;
    this.nodes.clear();
    for (const node of snapshot.nodes) this.nodes.set(node.i, live(node));
    this.versions.clear();
    for (const [scope, version] of Object.entries(snapshot.versions))
      this.versions.set(scope, version);
  }

  /** Classifies a patch against the versions this tab has. */
  check(patch: ScopePatch): PatchResult {
    const known = this.versions.get(patch.s);
    if (known === undefined) return 'unknown';
    if (patch.v <= known) return 'stale';
    if (patch.v > known + 1) return 'gap';
    return 'applied';
  }

  /**
   * Applies a patch whose version is the next one. `ownSocket` skips the value echoes of
   * this tab's own typing, so the text under the cursor is never replaced by older text.
   */
  apply(patch: ScopePatch, ownSocket: string | undefined): boolean {
    for (const node of patch.n ?? []) this.nodes.set(node.i, live(node));
    const ownTyping = patch.src !== undefined && patch.src === ownSocket;
    const typedOps = ownTyping ? (patch.t ?? patch.o.length) : 0;
    let complete = true;
    const touched = new Set<LiveNode>();
    // children inserted past a window: the nodes the patch brought for them are dropped
    const unshown: [LiveNode, string][] = [];
    for (const [index, op] of patch.o.entries()) {
      if (index < typedOps && op[0] === 'set' && op[2] === 'value') continue;
      const node = this.nodes.get(op[1]);
      if (!node) {
        // a node inside a child left out of a window is not missing
        if (!this.holdsWindow()) complete = false;
        continue;
      }
      const applied = applyOp(node, op);
      if (applied === 'unfit') {
        // the prop is not as the server had it: only a fresh snapshot puts it right
        complete = false;
        continue;
      }
      if (!applied) {
        if (op[0] === 'ins') unshown.push([node, op[3]]);
        continue;
      }
      if (op[0] === 'ins' && !this.nodes.has(op[3])) complete = false;
      touched.add(node);
    }
    const added = new Set((patch.n ?? []).map((n) => n.i));
    for (const [parent, child] of unshown)
      if (added.has(child) && !parent.k.includes(child)) this.forget(child);
    for (const node of touched) if (node.p.animation) node.replay++;
    this.versions.set(patch.s, patch.v);
    return complete;
  }

  /**
   * Takes the children a `more` brought for `parentId`: appended after those it holds (ids it
   * holds already are skipped, as are their nodes: patches keep those current), and the
   * count of those that follow.
   */
  addChildren(parentId: string, reply: MoreReply): void {
    const parent = this.nodes.get(parentId);
    if (!parent) return;
    const held = new Set(parent.k);
    const fresh = reply.k.filter((id) => !held.has(id));
    const byId = new Map(reply.nodes.map((n) => [n.i, n]));
    const stack = [...fresh];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      const node = byId.get(id);
      if (!node) continue;
      byId.delete(id);
      this.nodes.set(id, live(node));
      stack.push(...(node.k ?? []));
    }
    parent.k.push(...fresh);
    parent.m = reply.m;
  }

  /** Whether some node holds a window (so nodes the tab does not know may exist). */
  private holdsWindow(): boolean {
    for (const node of this.nodes.values()) if (node.m > 0) return true;
    return false;
  }

  /** Drops a node, and what is inside it. */
  private forget(id: string): void {
    const stack = [id];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      stack.push(...(this.nodes.get(next)?.k ?? []));
      this.nodes.delete(next);
    }
  }
}

/**
 * Applies one op to its node; `false` for a child inserted past a window (see `PageTree`),
 * `'unfit'` for a change inside a prop that does not fit the prop as this tab has it.
 */
function applyOp(node: LiveNode, op: WireOp): boolean | 'unfit' {
  switch (op[0]) {
    case 'put':
    case 'push': {
      // the prop's own objects, not the reactive proxies over them: the copy must hold no proxy
      const current = toRaw(node.p)[op[2]];
      if (current === undefined) return 'unfit';
      try {
        node.p[op[2]] =
          op[0] === 'put' ? putAt(current, op[3], op[4]) : pushAt(current, op[3], op[4], op[5]);
      } catch (error) {
        if (error instanceof PropPathError) return 'unfit';
        throw error;
      }
      break;
    }
    case 'set':
      node.p[op[2]] = op[3];
      break;
    case 'unset':
      delete node.p[op[2]];
      break;
    case 'on':
      if (!node.e.includes(op[2])) node.e.push(op[2]);
      if (op[3] && op[3].length > 0) node.a[op[2]] = op[3];
      else delete node.a[op[2]];
      if (op[4] !== undefined) node.r[op[2]] = op[4];
      else delete node.r[op[2]];
      break;
    case 'off':
      node.e = node.e.filter((e) => e !== op[2]);
      delete node.a[op[2]];
      delete node.r[op[2]];
      break;
    case 'ins': {
      const [, , at, child] = op;
      const existing = node.k.indexOf(child);
      if (existing >= 0) node.k.splice(existing, 1);
      else if (node.m > 0 && (at < 0 || at > node.k.length)) {
        node.m++;
        return false;
      }
      const index = at < 0 || at > node.k.length ? node.k.length : at;
      node.k.splice(index, 0, child);
      break;
    }
    case 'rm': {
      const i = node.k.indexOf(op[2]);
      if (i >= 0) node.k.splice(i, 1);
      else if (node.m > 0) node.m--;
      break;
    }
  }
  return true;
}

/**
 * The `id` of a component's element: the `id` its `attrs` give (`attrs: { id: 'answer' }`),
 * else the component's own id. Client actions aimed at a component (`scrollTo`, `focus`)
 * find its element by this.
 */
export function elementIdOf(node: LiveNode): string {
  const attrs = node.p.attrs;
  const own =
    attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs)
      ? (attrs as Record<string, unknown>).id
      : undefined;
  if ((typeof own === 'string' && own !== '') || typeof own === 'number') return String(own);
  return node.i;
}
