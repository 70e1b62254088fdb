import { PageTree } from '../../libs/pushpage/client/src/tree';
import { ScopePatch } from '../../libs/pushpage/client/src/types';

function treeWithTextBox(): PageTree {
  const tree = new PageTree();
  tree.load({
    pageId: 'page',
    nodes: [
      { i: 'page', t: 'div', p: {}, k: ['box'] },
      { i: 'box', t: 'textarea', p: { value: 'typed on, since' }, v: 'input' },
    ],
    versions: { page: 1 },
  });
  return tree;
}

describe('a tab applying a patch with values it typed', () => {
  it('keeps its own text for the typed values, and takes what the handler set after them', () => {
    const tree = treeWithTextBox();
    const patch: ScopePatch = {
      s: 'page',
      v: 2,
      src: 'mine',
      t: 1,
      o: [
        ['set', 'box', 'value', 'typed'],
        ['set', 'box', 'value', ''],
      ],
    };
    tree.apply(patch, 'mine');
    expect(tree.nodes.get('box')?.p.value).toBe('');
  });

  it('keeps its own text when the patch carries only its typed values', () => {
    for (const t of [1, undefined]) {
      const tree = treeWithTextBox();
      tree.apply({ s: 'page', v: 2, src: 'mine', t, o: [['set', 'box', 'value', 'typ']] }, 'mine');
      expect(tree.nodes.get('box')?.p.value).toBe('typed on, since');
    }
  });

  it('takes the typed values of another tab', () => {
    const tree = treeWithTextBox();
    tree.apply({ s: 'page', v: 2, src: 'theirs', t: 1, o: [['set', 'box', 'value', 'x']] }, 'mine');
    expect(tree.nodes.get('box')?.p.value).toBe('x');
  });
});
