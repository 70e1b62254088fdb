/**
 * A tab joins a long shared board without downloading it whole: the page load, a socket's
 * join and resync, and the REST views carry the first `snapshotWindow` children of a long
 * list and how many they left out; `more` and the REST children read page through the rest.
 */
import { Socket } from 'socket.io-client';
import type { ClientNode, MoreReply, PageSnapshot } from '../../libs/pushpage/src/protocol';
import {
  boardOverRest,
  connectTab,
  DemoApp,
  loadPage,
  LoadedPage,
  request,
  ViewNode,
  viewNodes,
} from '../support/demo-app';
import { RedisServer } from '../support/redis-server';

type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string; reason?: string } };

/** A children read of the REST API. */
interface ChildrenView {
  children: ViewNode[];
  more: number;
}

const WINDOW = 5;
/** Messages on the board: the welcome and these. */
const POSTED = 11;

/** The board's node in a snapshot: the one with the board's classes. */
function boardOf(nodes: ClientNode[]): ClientNode {
  const board = nodes.find((n) => String(n.p.classes ?? '').includes('overflow-auto'));
  if (!board) throw new Error('no board on the page');
  return board;
}

/** The message texts (`pre`) among nodes, in their order. */
function textsOf(nodes: ClientNode[]): string[] {
  return nodes.filter((n) => n.t === 'pre').map((n) => String(n.p.text));
}

/** The board's node in a REST page view. */
function viewBoard(tree: ViewNode): ViewNode {
  const board = viewNodes(tree).find((n) =>
    String(n.props.classes ?? '').includes('overflow-auto'),
  );
  if (!board) throw new Error('no board in the view');
  return board;
}

/** The message texts of REST view nodes, in their order. */
function viewTexts(nodes: ViewNode[]): string[] {
  return nodes
    .flatMap(viewNodes)
    .filter((n) => n.tag === 'pre')
    .map((n) => String(n.props.text));
}

const BACKENDS: [string, boolean][] = [
  ['in memory', false],
  ['on Redis', true],
];

describe.each(BACKENDS)('a board longer than the snapshot window (%s)', (_name, onRedis) => {
  let redis: RedisServer | undefined;
  let app: DemoApp;
  const sockets: Socket[] = [];
  /** Every message, newest first, as posted. */
  let all: string[];
  /** The page the last post answered. */
  let afterLastPost: ViewNode;

  beforeAll(async () => {
    redis = onRedis ? await RedisServer.start() : undefined;
    app = await DemoApp.start({
      ...(redis ? { REDIS_URL: redis.url } : {}),
      PUSHPAGE_SNAPSHOT_WINDOW: String(WINDOW),
      PUSHPAGE_REST_RATE_LIMIT: '100000',
      PUSHPAGE_SOCKET_RATE_LIMIT: '200',
    });
    const { post } = await boardOverRest(app.url);
    const posted: string[] = [];
    for (let i = 1; i <= POSTED; i++) {
      const text = `message ${i}`;
      const { status, body } = await post(text);
      if (status !== 200 || !body.tree) throw new Error(`posting ${text}: ${status}`);
      afterLastPost = body.tree;
      posted.unshift(text);
    }
    all = [...posted, 'Welcome to the simple message board!'];
  }, 30_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.stop();
    await redis?.stop();
  });

  function tab(cookie: string): Socket {
    const socket = connectTab(app.url, cookie);
    sockets.push(socket);
    return socket;
  }

  async function joined(page: LoadedPage): Promise<Socket> {
    const socket = tab(page.cookie);
    const ack = await request<Ack>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    expect(ack).toEqual({ ok: true });
    return socket;
  }

  /** Checks a whole page shows the first window of the board and the count of the rest. */
  function expectWindow(snapshot: PageSnapshot): void {
    const board = boardOf(snapshot.nodes);
    expect(board.k).toHaveLength(WINDOW);
    expect(board.m).toBe(all.length - WINDOW);
    expect(textsOf(snapshot.nodes)).toEqual(all.slice(0, WINDOW));
    // nothing of the messages left out is sent
    const sent = new Set(snapshot.nodes.map((n) => n.i));
    expect(snapshot.nodes.filter((n) => n.t === 'pre')).toHaveLength(WINDOW);
    for (const node of snapshot.nodes)
      for (const child of node.k ?? []) expect(sent).toContain(child);
  }

  it('carries the window in the page load, a join and a resync, with the versions unchanged', async () => {
    const page = await loadPage(app.url, '/message-board');
    expectWindow(page.snapshot);
    const state = await app.store.pageState(page.snapshot.pageId);
    expect(page.snapshot.versions).toEqual(state?.versions);

    const socket = tab(page.cookie);
    const join = await request<Ack<{ snapshot?: PageSnapshot }>>(socket, 'join', {
      pageId: page.snapshot.pageId,
    });
    if (!join.ok || !join.snapshot) throw new Error(`join: ${JSON.stringify(join)}`);
    expectWindow(join.snapshot);
    expect(join.snapshot.versions).toEqual(state?.versions);

    const resync = await request<Ack<{ snapshot: PageSnapshot }>>(socket, 'resync', {
      pageId: page.snapshot.pageId,
    });
    if (!resync.ok) throw new Error(`resync: ${JSON.stringify(resync)}`);
    expectWindow(resync.snapshot);
  });

  it('carries the window in the page a REST event answers', () => {
    const board = viewBoard(afterLastPost);
    expect(board.more).toBe(all.length - WINDOW);
    expect(viewTexts(board.children ?? [])).toEqual(all.slice(0, WINDOW));
  });

  it('carries the window in the REST view, whose ETag names the page as before', async () => {
    const page = await loadPage(app.url, '/message-board');
    const res = await fetch(`${app.url}/api/pages/${page.snapshot.pageId}`, {
      headers: { cookie: page.cookie },
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as { tree: ViewNode };
    const board = viewBoard(view.tree);
    expect(board.children).toHaveLength(WINDOW);
    expect(board.more).toBe(all.length - WINDOW);
    expect(viewTexts(board.children ?? [])).toEqual(all.slice(0, WINDOW));
    const etag = res.headers.get('etag') ?? '';
    const again = await fetch(`${app.url}/api/pages/${page.snapshot.pageId}`, {
      headers: { cookie: page.cookie, 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('pages through the rest with `more`, in order, to the last one', async () => {
    const page = await loadPage(app.url, '/message-board');
    const socket = await joined(page);
    const board = boardOf(page.snapshot.nodes);
    const held = [...(board.k ?? [])];
    const texts = textsOf(page.snapshot.nodes);
    for (let m = board.m ?? 0; m > 0;) {
      const ack = await request<Ack<MoreReply>>(socket, 'more', {
        pageId: page.snapshot.pageId,
        componentId: board.i,
        from: held.length,
      });
      if (!ack.ok) throw new Error(`more: ${JSON.stringify(ack)}`);
      expect(ack.k.length).toBe(Math.min(WINDOW, m));
      expect(ack.m).toBe(m - ack.k.length);
      // each child comes with what is inside it: its row holds an icon, a time and the text
      for (const id of ack.k) expect(ack.nodes.find((n) => n.i === id)?.k).toHaveLength(3);
      held.push(...ack.k);
      texts.push(...textsOf(ack.nodes));
      m = ack.m;
    }
    expect(texts).toEqual(all);
    expect(new Set(held).size).toBe(all.length);
    // past the end there is nothing more
    const past = await request<Ack<MoreReply>>(socket, 'more', {
      pageId: page.snapshot.pageId,
      componentId: board.i,
      from: all.length + 3,
    });
    expect(past).toEqual({ ok: true, nodes: [], k: [], m: 0 });
  });

  it('pages through the rest over REST, as the Ajax pages do', async () => {
    const page = await loadPage(app.url, '/message-board');
    const board = boardOf(page.snapshot.nodes);
    const read = async (from?: number) => {
      const query = from === undefined ? '' : `?from=${from}`;
      const res = await fetch(
        `${app.url}/api/pages/${page.snapshot.pageId}/components/${board.i}/children${query}`,
        { headers: { cookie: page.cookie } },
      );
      expect(res.status).toBe(200);
      return (await res.json()) as ChildrenView;
    };
    const first = await read();
    expect(first.children.map((c) => c.id)).toEqual(board.k);
    expect(first.more).toBe(all.length - WINDOW);
    const texts: string[] = [];
    for (let from = 0, more = 1; more > 0;) {
      const next = await read(from);
      expect(next.children.every((c) => c.children?.length === 3)).toBe(true);
      texts.push(...viewTexts(next.children));
      from += next.children.length;
      more = next.more;
    }
    expect(texts).toEqual(all);
  });

  it('refuses bad `more` messages with the codes of the other messages', async () => {
    const page = await loadPage(app.url, '/message-board');
    const other = await loadPage(app.url, '/message-board', page.cookie);
    const theirs = await loadPage(app.url, '/message-board');
    const board = boardOf(page.snapshot.nodes).i;
    const pageId = page.snapshot.pageId;
    const unjoined = tab(page.cookie);
    const before = await request<Ack>(unjoined, 'more', { pageId, componentId: board, from: 5 });
    expect(before).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const socket = await joined(page);
    const more = (body: unknown) => request<Ack<MoreReply>>(socket, 'more', body);
    for (const body of [
      null,
      [pageId, board, 5],
      { pageId, componentId: board },
      { pageId, componentId: board, from: -1 },
      { pageId, componentId: board, from: 1.5 },
      { pageId, componentId: board, from: '5' },
      { pageId, componentId: board, from: 1e300 },
      { pageId: 'not a page!', componentId: board, from: 0 },
      { pageId, componentId: '', from: 0 },
      { pageId, componentId: board, from: 0, extra: 1 },
      JSON.parse(`{"pageId":"${pageId}","componentId":"${board}","from":0,"__proto__":{}}`),
    ]) {
      const ack = await more(body);
      expect({ body, ack }).toMatchObject({ ack: { ok: false, error: { code: 'bad-request' } } });
    }
    // a component that is not on the page: unknown, or on another page of the session
    const foreign = other.snapshot.nodes.find((n) => n.t === 'textarea')?.i;
    for (const componentId of ['nosuchcomponent', foreign]) {
      const ack = await more({ pageId, componentId, from: 0 });
      expect(ack).toMatchObject({ ok: false, error: { code: 'not-found' } });
      if (!ack.ok) expect(ack.error.message).toMatch(/is not on page/);
    }
    // another page than the one joined: its own or another session's
    for (const other_ of [other, theirs]) {
      const ack = await more({ pageId: other_.snapshot.pageId, componentId: board, from: 0 });
      expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // the socket stays usable
    expect(await more({ pageId, componentId: board, from: 0 })).toMatchObject({ ok: true });
  });

  it('refuses bad children reads with the status codes of the other calls', async () => {
    const page = await loadPage(app.url, '/message-board');
    const other = await loadPage(app.url, '/message-board', page.cookie);
    const theirs = await loadPage(app.url, '/message-board');
    const board = boardOf(page.snapshot.nodes).i;
    const read = async (path: string, cookie = page.cookie) => {
      const res = await fetch(`${app.url}/api/pages/${path}`, { headers: { cookie } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const pageId = page.snapshot.pageId;
    for (const query of ['-1', '1.5', 'x', '', '1e3', '5&from=6', '99999999999999999999']) {
      expect(await read(`${pageId}/components/${board}/children?from=${query}`)).toMatchObject({
        status: 400,
        body: { code: 'bad-request' },
      });
    }
    expect(await read(`${pageId}/components/bad!id/children`)).toMatchObject({ status: 400 });
    expect(await read(`bad!page/components/${board}/children`)).toMatchObject({ status: 400 });
    const foreign = other.snapshot.nodes.find((n) => n.t === 'textarea')?.i ?? '';
    for (const componentId of ['nosuchcomponent', foreign]) {
      expect(await read(`${pageId}/components/${componentId}/children`)).toMatchObject({
        status: 404,
        body: { code: 'not-found' },
      });
    }
    expect(await read(`nosuchpageatall/components/${board}/children`)).toMatchObject({
      status: 404,
      body: { code: 'not-found', reason: 'page-gone' },
    });
    // another session's page, and a session page read without a session
    expect(await read(`${theirs.snapshot.pageId}/components/${board}/children`)).toMatchObject({
      status: 403,
      body: { code: 'forbidden', reason: 'other-session' },
    });
    expect(await read(`${pageId}/components/${board}/children`, '')).toMatchObject({
      status: 403,
      body: { code: 'forbidden', reason: 'session-unknown' },
    });
  });

  it('counts `more` against the whole pages a tab may be sent', async () => {
    const page = await loadPage(app.url, '/message-board');
    const socket = await joined(page);
    const board = boardOf(page.snapshot.nodes).i;
    const started = Date.now();
    const acks = await Promise.all(
      Array.from({ length: 150 }, () =>
        request<Ack<MoreReply>>(socket, 'more', {
          pageId: page.snapshot.pageId,
          componentId: board,
          from: WINDOW,
        }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const answered = acks.filter((a) => a.ok).length;
    // PUSHPAGE_SOCKET_RATE_LIMIT is 200 here: whole pages a twentieth of it, 10 a second,
    // in a burst of 50
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(50 + Math.ceil(10 * seconds));
    for (const ack of acks) if (!ack.ok) expect(ack.error).toMatchObject({ code: 'rate-limited' });
  });
});

describe('the default window', () => {
  let app: DemoApp;
  beforeAll(async () => {
    app = await DemoApp.start({ PUSHPAGE_REST_RATE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('carries 500 of a board of 501 messages in the page load and the REST view', async () => {
    const { post } = await boardOverRest(app.url);
    for (let i = 1; i <= 500; i++) expect((await post(`message ${i}`)).status).toBe(200);
    const page = await loadPage(app.url, '/message-board');
    const board = boardOf(page.snapshot.nodes);
    expect(board.k).toHaveLength(500);
    expect(board.m).toBe(1);
    expect(textsOf(page.snapshot.nodes)[0]).toBe('message 500');
    expect(textsOf(page.snapshot.nodes)).not.toContain('Welcome to the simple message board!');
    const res = await fetch(
      `${app.url}/api/pages/${page.snapshot.pageId}/components/${board.i}/children?from=500`,
      { headers: { cookie: page.cookie } },
    );
    const rest = (await res.json()) as ChildrenView;
    expect(viewTexts(rest.children)).toEqual(['Welcome to the simple message board!']);
    expect(rest.more).toBe(0);
  }, 60_000);
});
