import { HttpPage } from '../../../client/src/http';
import { ChildPager } from '../../../client/src/more';
import { PageTree } from '../../../client/src/tree';
import { MoreReply, PageSnapshot } from '../../../client/src/types';

const SNAPSHOT: PageSnapshot = {
  pageId: 'page',
  nodes: [
    { i: 'page', t: 'div', p: {}, k: ['list'] },
    { i: 'list', t: 'ul', p: {}, k: ['a', 'b'], m: 3 },
    { i: 'a', t: 'li', p: { text: 'a' } },
    { i: 'b', t: 'li', p: { text: 'b' } },
  ],
  versions: { page: 1 },
};

/** A tree loaded with {@link SNAPSHOT}, and a pager whose asks wait to be answered. */
function pagedTree() {
  const tree = new PageTree();
  tree.load(SNAPSHOT);
  const asked: { componentId: string; from: number; answer: (r: MoreReply | null) => void }[] = [];
  const source = (componentId: string, from: number) =>
    new Promise<MoreReply | null>((answer) => asked.push({ componentId, from, answer }));
  return { tree, asked, pager: new ChildPager(tree, source, 2) };
}

describe('"Show more" of a window', () => {
  it('asks for the children after those held, once at a time, and adds them', async () => {
    const { tree, asked, pager } = pagedTree();
    const first = pager.more('list');
    void pager.more('list');
    expect(asked.map(({ componentId, from }) => ({ componentId, from }))).toEqual([
      { componentId: 'list', from: 2 },
    ]);
    expect(pager.asking.has('list')).toBe(true);
    asked[0].answer({
      nodes: [
        { i: 'c', t: 'li', p: { text: 'c' } },
        { i: 'd', t: 'li', p: { text: 'd' } },
      ],
      k: ['c', 'd'],
      m: 1,
    });
    await first;
    expect(pager.asking.has('list')).toBe(false);
    expect(tree.nodes.get('list')).toMatchObject({ k: ['a', 'b', 'c', 'd'], m: 1 });
    expect(tree.nodes.get('d')?.p.text).toBe('d');
  });

  it('asks nothing for a node that holds every child, and takes nothing from a refusal', async () => {
    const { tree, asked, pager } = pagedTree();
    await pager.more('page');
    await pager.more('nowhere');
    expect(asked).toHaveLength(0);
    const refused = pager.more('list');
    asked[0].answer(null);
    await refused;
    expect(tree.nodes.get('list')).toMatchObject({ k: ['a', 'b'], m: 3 });
  });

  it('drops an answer that comes after a whole page replaced the tree', async () => {
    const { tree, asked, pager } = pagedTree();
    const late = pager.more('list');
    tree.load(SNAPSHOT);
    asked[0].answer({ nodes: [{ i: 'c', t: 'li', p: {} }], k: ['c'], m: 2 });
    await late;
    expect(tree.nodes.get('list')).toMatchObject({ k: ['a', 'b'], m: 3 });
  });
});

describe('the children read of a page without websockets', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  /** Answers every request with `status` and `body`, recording the URLs asked. */
  function answer(status: number, body: unknown): string[] {
    const urls: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request) => {
      urls.push(String(input));
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    return urls;
  }

  function httpPage(tree: PageTree) {
    const told: string[] = [];
    const page = new HttpPage(tree, '/api/pages', {
      error: (message) => told.push(`error: ${message}`),
      unusable: (reason) => told.push(`unusable: ${reason}`),
      resending: () => undefined,
    });
    return { page, told };
  }

  it('reads the REST children and flattens them as a `more` answer', async () => {
    const tree = new PageTree();
    tree.load(SNAPSHOT);
    const urls = answer(200, {
      children: [
        { id: 'c', tag: 'li', props: {}, children: [{ id: 'c1', tag: 'b', props: {} }] },
        { id: 'd', tag: 'li', props: {}, children: [{ id: 'd1', tag: 'b', props: {} }], more: 4 },
      ],
      more: 1,
    });
    const { page } = httpPage(tree);
    const reply = await page.children('li st', 2);
    expect(urls).toEqual(['/api/pages/page/components/li%20st/children?from=2']);
    expect(reply).toEqual({
      nodes: [
        { i: 'c', t: 'li', p: {}, k: ['c1'] },
        { i: 'c1', t: 'b', p: {}, k: [] },
        { i: 'd', t: 'li', p: {}, k: ['d1'], m: 4 },
        { i: 'd1', t: 'b', p: {}, k: [] },
      ],
      k: ['c', 'd'],
      m: 1,
    });
  });

  it('shows a refusal and takes nothing', async () => {
    const tree = new PageTree();
    tree.load(SNAPSHOT);
    answer(404, { statusCode: 404, code: 'not-found', message: 'component x is not on page p' });
    const { page, told } = httpPage(tree);
    expect(await page.children('x', 0)).toBeNull();
    expect(told).toEqual(['error: component x is not on page p']);
    answer(404, { statusCode: 404, code: 'not-found', message: 'gone', reason: 'page-gone' });
    expect(await page.children('list', 2)).toBeNull();
    expect(told[1]).toBe('unusable: page-gone');
  });
});
