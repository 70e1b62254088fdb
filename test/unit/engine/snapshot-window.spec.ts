import { ClientNode } from '../../../libs/pushpage/src/protocol';
import { childrenWindow, windowNodes } from '../../../libs/pushpage/src/engine/window';

/** A page with a board of `count` messages, each a row holding a text; parents first. */
function board(count: number): ClientNode[] {
  const rows = Array.from({ length: count }, (_, i) => `row${i}`);
  return [
    { i: 'page', t: 'div', p: {}, k: ['title', 'board'] },
    { i: 'title', t: 'h1', p: { text: 'Board' } },
    { i: 'board', t: 'div', p: {}, k: rows },
    ...rows.map((id): ClientNode => ({ i: id, t: 'div', p: {}, k: [`${id}-text`] })),
    ...rows.map((id): ClientNode => ({ i: `${id}-text`, t: 'pre', p: { text: id } })),
  ];
}

const ids = (nodes: ClientNode[]) => nodes.map((n) => n.i);

describe('the snapshot window', () => {
  it('cuts a long child list to its first children and says how many it left out', () => {
    const nodes = windowNodes(board(10), ['page'], 4);
    const cut = nodes.find((n) => n.i === 'board');
    expect(cut?.k).toEqual(['row0', 'row1', 'row2', 'row3']);
    expect(cut?.m).toBe(6);
  });

  it('sends neither the children left out nor anything inside them, and keeps the order', () => {
    const nodes = windowNodes(board(10), ['page'], 4);
    expect(ids(nodes)).toEqual([
      'page',
      'title',
      'board',
      ...['row0', 'row1', 'row2', 'row3'],
      ...['row0-text', 'row1-text', 'row2-text', 'row3-text'],
    ]);
    expect(nodes.find((n) => n.i === 'row0')).toEqual({
      i: 'row0',
      t: 'div',
      p: {},
      k: ['row0-text'],
    });
  });

  it('leaves lists no longer than the window as they are, without m', () => {
    const all = board(4);
    const nodes = windowNodes(all, ['page'], 4);
    expect(nodes).toEqual(all);
    expect(nodes.some((n) => 'm' in n)).toBe(false);
    expect(windowNodes(all, ['page'], 500)).toEqual(all);
  });

  it('does not change the nodes it is given', () => {
    const all = board(10);
    const before = JSON.stringify(all);
    windowNodes(all, ['page'], 2);
    expect(JSON.stringify(all)).toBe(before);
  });

  it('windows lists inside lists too', () => {
    const nodes: ClientNode[] = [
      { i: 'page', t: 'div', p: {}, k: ['a', 'b', 'c'] },
      { i: 'a', t: 'ul', p: {}, k: ['a1', 'a2', 'a3'] },
      { i: 'b', t: 'ul', p: {}, k: ['b1'] },
      { i: 'c', t: 'ul', p: {}, k: ['c1'] },
      ...['a1', 'a2', 'a3', 'b1', 'c1'].map((i): ClientNode => ({ i, t: 'li', p: {} })),
    ];
    const cut = windowNodes(nodes, ['page'], 2);
    expect(ids(cut)).toEqual(['page', 'a', 'b', 'a1', 'a2', 'b1']);
    expect(cut.find((n) => n.i === 'a')?.m).toBe(1);
  });
});

describe('the children a `more` carries', () => {
  it('gives the next window of children with what is inside them, and how many follow', () => {
    const reply = childrenWindow(board(10), 'board', 4, 4);
    expect(reply?.k).toEqual(['row4', 'row5', 'row6', 'row7']);
    expect(reply?.m).toBe(2);
    expect(ids(reply?.nodes ?? [])).toEqual([
      ...['row4', 'row5', 'row6', 'row7'],
      ...['row4-text', 'row5-text', 'row6-text', 'row7-text'],
    ]);
  });

  it('gives the last ones with nothing after them, and nothing past the end', () => {
    expect(childrenWindow(board(10), 'board', 8, 4)).toMatchObject({ k: ['row8', 'row9'], m: 0 });
    expect(childrenWindow(board(10), 'board', 50, 4)).toEqual({ nodes: [], k: [], m: 0 });
    expect(childrenWindow(board(10), 'title', 0, 4)).toEqual({ nodes: [], k: [], m: 0 });
  });

  it('knows no component that is not among the nodes', () => {
    expect(childrenWindow(board(10), 'elsewhere', 0, 4)).toBeNull();
  });
});
