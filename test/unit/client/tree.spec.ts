import { effect, toRaw } from 'vue';
import { PageTree } from '../../../client/src/tree';
import { ScopePatch } from '../../../client/src/types';

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

/** A tab holding the first 3 of a board's 5 rows (`m` = 2), each row holding a text. */
function windowedBoard(): PageTree {
  const tree = new PageTree();
  tree.load({
    pageId: 'page',
    nodes: [
      { i: 'page', t: 'div', p: {}, k: ['board'] },
      { i: 'board', t: 'div', p: {}, k: ['r1', 'r2', 'r3'], m: 2 },
      ...['r1', 'r2', 'r3'].map((i) => ({ i, t: 'div', p: {}, k: [`${i}-text`] })),
      ...['r1', 'r2', 'r3'].map((i) => ({ i: `${i}-text`, t: 'pre', p: { text: i } })),
    ],
    versions: { page: 1, board: 7 },
  });
  return tree;
}

/** A patch of the board that inserts a new row (and its text) at `index`. */
function insertRow(id: string, index: number, v = 8): ScopePatch {
  return {
    s: 'board',
    v,
    o: [['ins', 'board', index, id]],
    n: [
      { i: id, t: 'div', p: {}, k: [`${id}-text`] },
      { i: `${id}-text`, t: 'pre', p: { text: id } },
    ],
  };
}

describe('a tab holding a window of a long child list', () => {
  const board = (tree: PageTree) => tree.nodes.get('board');

  it('takes the window and the count of children left out from the snapshot', () => {
    const tree = windowedBoard();
    expect(board(tree)).toMatchObject({ k: ['r1', 'r2', 'r3'], m: 2 });
    expect(tree.nodes.get('page')?.m).toBe(0);
  });

  it('shows a child prepended (the newest message on top), growing past the window', () => {
    const tree = windowedBoard();
    expect(tree.apply(insertRow('new', 0), undefined)).toBe(true);
    expect(board(tree)).toMatchObject({ k: ['new', 'r1', 'r2', 'r3'], m: 2 });
    expect(tree.nodes.get('new-text')?.p.text).toBe('new');
  });

  it('shows a child inserted among those it holds, or right after them', () => {
    const tree = windowedBoard();
    tree.apply(insertRow('mid', 1), undefined);
    tree.apply(insertRow('end', 4, 9), undefined);
    expect(board(tree)).toMatchObject({ k: ['r1', 'mid', 'r2', 'r3', 'end'], m: 2 });
  });

  it('does not show a child inserted beyond the window or appended: the count rises', () => {
    const tree = windowedBoard();
    expect(tree.apply(insertRow('far', 4), undefined)).toBe(true);
    expect(tree.apply(insertRow('last', -1, 9), undefined)).toBe(true);
    expect(board(tree)).toMatchObject({ k: ['r1', 'r2', 'r3'], m: 4 });
    // the nodes the patches brought for them are dropped
    for (const id of ['far', 'far-text', 'last', 'last-text'])
      expect(tree.nodes.has(id)).toBe(false);
  });

  it('appends as ever once it holds every child', () => {
    const tree = windowedBoard();
    tree.addChildren('board', { nodes: [], k: ['r4', 'r5'], m: 0 });
    tree.apply(insertRow('last', -1), undefined);
    expect(board(tree)).toMatchObject({ k: ['r1', 'r2', 'r3', 'r4', 'r5', 'last'], m: 0 });
  });

  it('lowers the count when a child it does not hold is removed, never below 0', () => {
    const tree = windowedBoard();
    const remove = (id: string, v: number): ScopePatch => ({
      s: 'board',
      v,
      o: [['rm', 'board', id]],
    });
    expect(tree.apply(remove('r5', 8), undefined)).toBe(true);
    expect(board(tree)).toMatchObject({ k: ['r1', 'r2', 'r3'], m: 1 });
    tree.apply(remove('r2', 9), undefined);
    expect(board(tree)).toMatchObject({ k: ['r1', 'r3'], m: 1 });
    tree.apply(remove('r4', 10), undefined);
    tree.apply(remove('r9', 11), undefined);
    expect(board(tree)).toMatchObject({ k: ['r1', 'r3'], m: 0 });
  });

  it('moves a child it holds as ever', () => {
    const tree = windowedBoard();
    tree.apply({ s: 'board', v: 8, o: [['ins', 'board', 0, 'r3']] }, undefined);
    expect(board(tree)).toMatchObject({ k: ['r3', 'r1', 'r2'], m: 2 });
  });

  it('ignores changes of nodes inside children it does not hold, rather than resync', () => {
    const tree = windowedBoard();
    const edit: ScopePatch = { s: 'board', v: 8, o: [['set', 'r5-text', 'text', 'edited']] };
    expect(tree.apply(edit, undefined)).toBe(true);
    expect(tree.nodes.has('r5-text')).toBe(false);
    // without a window, an unknown node still means the page must be fetched again
    const whole = treeWithTextBox();
    expect(whole.apply({ s: 'page', v: 2, o: [['set', 'gone', 'text', 'x']] }, undefined)).toBe(
      false,
    );
  });

  it('appends the children a `more` brought, skipping those it holds, and takes the count', () => {
    const tree = windowedBoard();
    // a message was prepended meanwhile, so the server's next children start with r3 again
    tree.apply(insertRow('new', 0), undefined);
    tree.addChildren('board', {
      nodes: [
        { i: 'r3', t: 'div', p: { stale: true }, k: ['r3-text'] },
        { i: 'r4', t: 'div', p: {}, k: ['r4-text'] },
        { i: 'r3-text', t: 'pre', p: { text: 'stale' } },
        { i: 'r4-text', t: 'pre', p: { text: 'r4' } },
      ],
      k: ['r3', 'r4'],
      m: 1,
    });
    expect(board(tree)).toMatchObject({ k: ['new', 'r1', 'r2', 'r3', 'r4'], m: 1 });
    expect(tree.nodes.get('r4-text')?.p.text).toBe('r4');
    // what it held is kept as its patches left it
    expect(tree.nodes.get('r3')?.p.stale).toBeUndefined();
    expect(tree.nodes.get('r3-text')?.p.text).toBe('r3');
  });
});

describe('a tab applying a change inside a prop', () => {
  function treeWithChart(): PageTree {
    const tree = new PageTree();
    tree.load({
      pageId: 'page',
      nodes: [
        { i: 'page', t: 'div', p: {}, k: ['chart'] },
        { i: 'chart', t: 'div', p: { options: { series: [{ data: [1, 2, 3] }] } } },
      ],
      versions: { page: 1 },
    });
    return tree;
  }

  it('appends points, keeping the last ones, and puts a value at a path', () => {
    const tree = treeWithChart();
    expect(
      tree.apply(
        { s: 'page', v: 2, o: [['push', 'chart', 'options', ['series', 0, 'data'], [4, 5], 4]] },
        undefined,
      ),
    ).toBe(true);
    expect(tree.nodes.get('chart')?.p.options).toEqual({ series: [{ data: [2, 3, 4, 5] }] });
    tree.apply(
      { s: 'page', v: 3, o: [['put', 'chart', 'options', ['series', 0, 'name'], 'load']] },
      undefined,
    );
    expect(tree.nodes.get('chart')?.p.options).toEqual({
      series: [{ data: [2, 3, 4, 5], name: 'load' }],
    });
  });

  it('asks for the whole page when its copy of the prop does not fit the change', () => {
    for (const op of [
      ['push', 'chart', 'options', ['series', 1, 'data'], [1]],
      ['put', 'chart', 'missing', ['x'], 1],
      ['push', 'chart', 'options', ['__proto__'], [1]],
    ] as ScopePatch['o']) {
      const tree = treeWithChart();
      expect(tree.apply({ s: 'page', v: 2, o: [op] }, undefined)).toBe(false);
      expect(tree.nodes.get('chart')?.p.options).toEqual({ series: [{ data: [1, 2, 3] }] });
    }
  });
});

describe('a tab applying a row-level change to a table', () => {
  const rows = [
    { id: 1, who: 'Ada', status: 'placed' },
    { id: 2, who: 'Bob', status: 'placed' },
  ];

  function treeWithTable(): PageTree {
    const tree = new PageTree();
    tree.load({
      pageId: 'page',
      nodes: [
        { i: 'page', t: 'div', p: {}, k: ['table'] },
        { i: 'table', t: 'q-table', p: { rowKey: 'id', rows, value: [] }, v: 'change' },
      ],
      versions: { page: 1 },
    });
    return tree;
  }

  it('gives what renders the rows a new array, with a new object only for the row put', () => {
    const tree = treeWithTable();
    const node = tree.nodes.get('table');
    const shown: unknown[] = [];
    // what Quasar's render does: reads the rows prop, so it runs again when it changes
    effect(() => void shown.push(node?.p.rows));
    const before = toRaw(node?.p.rows) as typeof rows;
    tree.apply(
      { s: 'page', v: 2, o: [['put', 'table', 'rows', [1], { ...rows[1], status: 'delivered' }]] },
      undefined,
    );
    expect(shown).toHaveLength(2);
    const after = toRaw(node?.p.rows) as typeof rows;
    expect(after).not.toBe(before);
    expect(after).toEqual([rows[0], { ...rows[1], status: 'delivered' }]);
    expect(after[0]).toBe(before[0]);

    tree.apply(
      {
        s: 'page',
        v: 3,
        o: [['push', 'table', 'rows', [], [{ id: 3, who: 'Cy', status: 'placed' }], 2]],
      },
      undefined,
    );
    expect(shown).toHaveLength(3);
    expect((toRaw(node?.p.rows) as typeof rows).map((row) => row.id)).toEqual([2, 3]);
  });
});
