import { Socket } from 'socket.io-client';
import { PageSnapshot, ScopePatch } from '../../libs/pushpage/src';
import { connectTab, DemoApp, loadPage, LoadedPage, request } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';

type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

interface Tab {
  page: LoadedPage;
  socket: Socket;
  patches: ScopePatch[];
}

function nodeId(
  snapshot: PageSnapshot,
  match: (n: PageSnapshot['nodes'][number]) => boolean,
): string {
  const node = snapshot.nodes.find(match);
  if (!node) throw new Error('node not found in snapshot');
  return node.i;
}

describe.each(['memory', 'redis'])('Socket.IO gateway, one process, %s store', (storeKind) => {
  let app: DemoApp;
  let redis: RedisServer | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    if (storeKind === 'redis') redis = await RedisServer.start();
    app = await DemoApp.start(redis ? { REDIS_URL: redis.url } : {});
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.stop();
    await redis?.stop();
  });

  async function openTab(path: string, cookie?: string): Promise<Tab> {
    const page = await loadPage(app.url, path, cookie);
    const socket = connectTab(app.url, page.cookie);
    sockets.push(socket);
    const patches: ScopePatch[] = [];
    socket.on('patch', (p: ScopePatch) => patches.push(p));
    const ack = await request<Ack<{ snapshot?: PageSnapshot }>>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    expect(ack.ok).toBe(true);
    return { page, socket, patches };
  }

  function boardIdOf(tab: Tab): string {
    return nodeId(
      tab.page.snapshot,
      (n) => typeof n.p.classes === 'string' && n.p.classes.includes('overflow-auto'),
    );
  }

  it('pushes every update of a shared page to every tab of it', async () => {
    const a = await openTab('/clock');
    const b = await openTab('/clock');
    expect(a.page.snapshot.pageId).toBe(b.page.snapshot.pageId);
    await waitFor(
      'two clock ticks in both tabs',
      () => a.patches.length >= 2 && b.patches.length >= 2,
      4000,
    );
    const common = a.patches.map((p) => p.v).filter((v) => b.patches.some((q) => q.v === v));
    expect(common.length).toBeGreaterThan(0);
    const v = common[0];
    expect(a.patches.find((p) => p.v === v)).toEqual(b.patches.find((p) => p.v === v));
    expect(a.patches[0].o[0][0]).toBe('set');
  });

  it('runs a handler for an event from one tab and pushes only the element to the others', async () => {
    const a = await openTab('/message-board');
    const b = await openTab('/message-board');
    expect(a.page.snapshot.pageId).not.toBe(b.page.snapshot.pageId);
    const boardId = boardIdOf(a);
    expect(boardIdOf(b)).toBe(boardId);
    const textarea = nodeId(a.page.snapshot, (n) => n.t === 'textarea');
    const button = nodeId(a.page.snapshot, (n) => n.t === 'button');

    const ack = await request<Ack<{ updated: boolean }>>(a.socket, 'event', {
      pageId: a.page.snapshot.pageId,
      componentId: button,
      type: 'click',
      values: [{ id: textarea, value: 'hello from A' }],
    });
    expect(ack).toEqual({ ok: true, updated: true });
    await waitFor('the message in tab B', () => b.patches.some((p) => p.s === boardId));
    expect(b.patches).toHaveLength(1);
    const patch = b.patches[0];
    expect(patch.o).toHaveLength(1);
    expect(patch.o[0].slice(0, 3)).toEqual(['ins', boardId, 0]);
    expect(patch.n?.map((n) => n.t)).toEqual(['div', 'i', 'p', 'pre']);
    expect(patch.n?.[3].p.text).toBe('hello from A');
    // the sender also gets its own page's change: the textarea is cleared
    await waitFor('the cleared textarea in tab A', () =>
      a.patches.some(
        (p) =>
          p.s === a.page.snapshot.pageId &&
          p.o.some((op) => op[0] === 'set' && op[1] === textarea && op[3] === ''),
      ),
    );
  });

  it('applies text typed just before a click, even when the click does not carry it', async () => {
    const a = await openTab('/message-board');
    const boardId = boardIdOf(a);
    const textarea = nodeId(a.page.snapshot, (n) => n.t === 'textarea');
    const button = nodeId(a.page.snapshot, (n) => n.t === 'button');
    const pageId = a.page.snapshot.pageId;
    const typed = request<Ack>(a.socket, 'event', {
      pageId,
      componentId: textarea,
      type: 'input',
      value: 'typed first',
    });
    const clicked = request<Ack>(a.socket, 'event', { pageId, componentId: button, type: 'click' });
    expect(await typed).toMatchObject({ ok: true });
    expect(await clicked).toMatchObject({ ok: true });
    await waitFor('the typed message on the board', () =>
      a.patches.some((p) => p.s === boardId && p.n?.some((n) => n.p.text === 'typed first')),
    );
  });

  it('applies an event once however often it is sent with the same id', async () => {
    const a = await openTab('/message-board');
    const boardId = boardIdOf(a);
    const textarea = nodeId(a.page.snapshot, (n) => n.t === 'textarea');
    const button = nodeId(a.page.snapshot, (n) => n.t === 'button');
    const event = {
      eventId: 'retry-me-0001',
      pageId: a.page.snapshot.pageId,
      componentId: button,
      type: 'click',
      values: [{ id: textarea, value: 'only once' }],
    };
    type EventAck = Ack<{ updated: boolean; duplicate?: boolean }>;
    const acks = await Promise.all(
      [1, 2, 3].map(() => request<EventAck>(a.socket, 'event', event)),
    );
    // one applies it; the others meet it held (retry later) or done (a duplicate)
    expect(acks.filter((ack) => ack.ok && !ack.duplicate)).toHaveLength(1);
    for (const ack of acks.filter((x) => !x.ok || x.duplicate)) {
      expect(ack.ok ? 'duplicate' : ack.error.code).toMatch(/^(duplicate|in-progress)$/);
    }
    expect(await request<EventAck>(a.socket, 'event', event)).toEqual({
      ok: true,
      updated: false,
      duplicate: true,
    });
    await waitFor('the message', () => a.patches.some((p) => p.s === boardId));
    const loaded = await loadPage(app.url, '/message-board', a.page.cookie);
    const texts = loaded.snapshot.nodes.filter((n) => n.t === 'pre').map((n) => n.p.text);
    expect(texts.filter((t) => t === 'only once')).toHaveLength(1);
  });

  it('answers a join with a whole page only when the tab is behind', async () => {
    const a = await openTab('/message-board');
    const pageId = a.page.snapshot.pageId;
    const current = await request<Ack<{ snapshot?: PageSnapshot }>>(a.socket, 'join', {
      pageId,
      versions: a.page.snapshot.versions,
    });
    expect(current).toEqual({ ok: true });
    const behind = await request<Ack<{ snapshot?: PageSnapshot }>>(a.socket, 'join', {
      pageId,
      versions: {},
    });
    expect(behind.ok && behind.snapshot?.pageId).toBe(pageId);
  });

  describe('refuses bad input with a clear error, and the socket lives on', () => {
    let tab: Tab;
    let other: Tab;
    beforeAll(async () => {
      tab = await openTab('/message-board');
      other = await openTab('/message-board');
    });

    const cases: [string, () => unknown, string, RegExp][] = [
      ['a malformed event', () => ({ nonsense: true }), 'bad-request', /should not exist/],
      [
        'an unknown page',
        () => ({ pageId: 'AAAAAAAAAAAAAAAAAAAAAA', componentId: 'x', type: 'click' }),
        'not-found',
        /does not exist/,
      ],
      [
        "another session's page",
        () => ({
          pageId: other.page.snapshot.pageId,
          componentId: nodeId(other.page.snapshot, (n) => n.t === 'button'),
          type: 'click',
        }),
        'forbidden',
        /another session/,
      ],
      [
        'a component of another page',
        () => ({
          pageId: tab.page.snapshot.pageId,
          componentId: nodeId(other.page.snapshot, (n) => n.t === 'button'),
          type: 'click',
        }),
        'not-found',
        /is not on page/,
      ],
      [
        'an event the element does not listen to',
        () => ({
          pageId: tab.page.snapshot.pageId,
          componentId: nodeId(tab.page.snapshot, (n) => n.t === 'button'),
          type: 'keydown',
        }),
        'not-listening',
        /does not listen to keydown/,
      ],
      [
        'a value for something that has none',
        () => ({
          pageId: tab.page.snapshot.pageId,
          componentId: nodeId(tab.page.snapshot, (n) => n.t === 'button'),
          type: 'click',
          values: [{ id: nodeId(tab.page.snapshot, (n) => n.t === 'pre'), value: 'x' }],
        }),
        'bad-request',
        /has no value/,
      ],
    ];

    it.each(cases)('%s', async (_what, body, code, message) => {
      const before = await app.store.countComponents();
      const ack = await request<Ack>(tab.socket, 'event', body());
      expect(ack.ok).toBe(false);
      if (!ack.ok) {
        expect(ack.error.code).toBe(code);
        expect(ack.error.message).toMatch(message);
      }
      expect(await app.store.countComponents()).toBe(before);
      expect(tab.socket.connected).toBe(true);
    });

    it("refuses to join another session's page", async () => {
      const ack = await request<Ack>(tab.socket, 'join', { pageId: other.page.snapshot.pageId });
      expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });

    it('refuses a socket without a session cookie', async () => {
      const stranger = connectTab(app.url, '');
      sockets.push(stranger);
      const ack = await request<Ack>(stranger, 'event', {
        pageId: tab.page.snapshot.pageId,
        componentId: 'x',
        type: 'click',
      });
      expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });
  });
});
