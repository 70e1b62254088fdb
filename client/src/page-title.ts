import { watch, WatchStopHandle } from 'vue';
import { PageTree } from './tree';

/**
 * Keeps the document title on the page's `title` prop: it is set now, and again whenever the
 * prop takes another value. A title a handler set with `setTitle` holds until then: a tree
 * loaded afresh with the same title (a resync after a reconnect, the answer to an event of a
 * page without websockets) leaves it alone. An empty title is not shown.
 */
export function followPageTitle(
  tree: PageTree,
  setTitle: (title: string) => void,
): WatchStopHandle {
  return watch(
    () => tree.nodes.get(tree.pageId)?.p.title,
    (title) => {
      if (typeof title === 'string' && title) setTitle(title);
    },
    // not 'sync': a tree loaded afresh is compared once it is whole, not while it is empty
    { immediate: true },
  );
}
