import { nextTick } from 'vue';
import { followPageTitle } from '../../../client/src/page-title';
import { PageTree } from '../../../client/src/tree';
import { PageSnapshot } from '../../../client/src/types';

function snapshot(title: string, text = 'hi'): PageSnapshot {
  return {
    pageId: 'page',
    nodes: [
      { i: 'page', t: 'div', p: { title }, k: ['p1'] },
      { i: 'p1', t: 'p', p: { text } },
    ],
    versions: { page: 1 },
  };
}

describe('the document title and the page’s title prop', () => {
  it('takes the title when the page loads and whenever the prop changes', async () => {
    const tree = new PageTree();
    tree.load(snapshot('First'));
    const shown: string[] = [];
    const stop = followPageTitle(tree, (title) => shown.push(title));
    expect(shown).toEqual(['First']);
    tree.apply({ s: 'page', v: 2, o: [['set', 'page', 'title', 'Second']] }, undefined);
    await nextTick();
    expect(shown).toEqual(['First', 'Second']);
    stop();
  });

  it('leaves a title set by an action alone until the prop takes another value', async () => {
    const tree = new PageTree();
    tree.load(snapshot('Mine'));
    let title = '';
    const stop = followPageTitle(tree, (t) => (title = t));
    title = 'Set by a handler'; // what a setTitle action does
    // another prop of the page, and the whole tree again with the same title (a resync,
    // or the answer to an event of a page without websockets)
    tree.apply({ s: 'page', v: 2, o: [['set', 'page', 'classes', 'p-4']] }, undefined);
    tree.load(snapshot('Mine', 'changed'));
    await nextTick();
    expect(title).toBe('Set by a handler');
    tree.load(snapshot('Renamed'));
    await nextTick();
    expect(title).toBe('Renamed');
    stop();
  });

  it('shows no empty title', async () => {
    const tree = new PageTree();
    tree.load(snapshot('Kept'));
    const shown: string[] = [];
    const stop = followPageTitle(tree, (title) => shown.push(title));
    tree.apply({ s: 'page', v: 2, o: [['set', 'page', 'title', '']] }, undefined);
    await nextTick();
    expect(shown).toEqual(['Kept']);
    stop();
  });
});
