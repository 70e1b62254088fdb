import { reactive, shallowReactive } from 'vue';
import { ClientNode, JsonValue, PageSnapshot, ScopePatch, WireOp } from './types';

/** A node as rendered: the wire node plus a counter that replays its animation. */
export interface LiveNode {
  i: string;
  t: string;
  p: Record<string, JsonValue>;
  e: string[];
  k: string[];
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
    k: [...(node.k ?? [])],
    v: node.v,
    replay: 0,
  });
}

/**
 * The page as this tab knows it: a flat map of nodes, and the version of each scope (the
 * page and its shared elements). Patches apply in version order; a gap or an unknown node
 * means the tab must fetch the whole page.
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
    for (const [index, op] of patch.o.entries()) {
      if (index < typedOps && op[0] === 'set' && op[2] === 'value') continue;
      const node = this.nodes.get(op[1]);
      if (!node) {
        complete = false;
        continue;
      }
      applyOp(node, op);
      if (op[0] === 'ins' && !this.nodes.has(op[3])) complete = false;
      touched.add(node);
    }
    for (const node of touched) if (node.p.animation) node.replay++;
    this.versions.set(patch.s, patch.v);
    return complete;
  }
}

function applyOp(node: LiveNode, op: WireOp): void {
  switch (op[0]) {
    case 'set':
      node.p[op[2]] = op[3];
      break;
    case 'unset':
      delete node.p[op[2]];
      break;
    case 'on':
      if (!node.e.includes(op[2])) node.e.push(op[2]);
      break;
    case 'off':
      node.e = node.e.filter((e) => e !== op[2]);
      break;
    case 'ins': {
      const existing = node.k.indexOf(op[3]);
      if (existing >= 0) node.k.splice(existing, 1);
      const index = op[2] < 0 || op[2] > node.k.length ? node.k.length : op[2];
      node.k.splice(index, 0, op[3]);
      break;
    }
    case 'rm': {
      const i = node.k.indexOf(op[2]);
      if (i >= 0) node.k.splice(i, 1);
      break;
    }
  }
}
