import { shallowReactive } from 'vue';
import { PageTree } from './tree';
import { MoreReply } from './types';

/**
 * Asks the server for the children of a component from an index on (the socket's `more`, or
 * the REST children read); `null` when there is no answer to take (the transport has told
 * the user why).
 */
export type ChildrenSource = (componentId: string, from: number) => Promise<MoreReply | null>;

/**
 * The "Show more" of a node that holds a window of a long child list: asks for the children
 * after those it holds and adds them to the tree. A whole page taken later (a resync, an
 * Ajax poll that finds the page changed) shows the first window again.
 */
export class ChildPager {
  /** Nodes whose next children are on their way (their button waits). */
  readonly asking = shallowReactive(new Set<string>());

  constructor(
    private readonly tree: PageTree,
    private readonly source: ChildrenSource,
    /** How many children one answer carries at most (the server's `snapshotWindow`). */
    readonly pageSize: number,
  ) {}

  /** Asks for the children after those node `id` holds, once at a time. */
  async more(id: string): Promise<void> {
    const node = this.tree.nodes.get(id);
    if (!node || node.m <= 0 || this.asking.has(id)) return;
    this.asking.add(id);
    try {
      const reply = await this.source(id, node.k.length);
      // a whole page replaced the tree meanwhile: the answer may not follow on from it
      if (reply && this.tree.nodes.get(id) === node) this.tree.addChildren(id, reply);
    } finally {
      this.asking.delete(id);
    }
  }
}
