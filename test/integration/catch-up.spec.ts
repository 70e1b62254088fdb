import { PageSnapshot, ScopePatch } from '../../libs/pushpage/src';
import { connectTab, DemoApp, loadPage, request } from '../support/demo-app';
import { RedisServer } from '../support/redis-server';

type JoinAck =
  | { ok: true; snapshot?: PageSnapshot; patches?: ScopePatch[] }
  | { ok: false; error: { code: string; message: string } };

function boardOf(snapshot: PageSnapshot): string {
  const board = snapshot.nodes.find(
    (n) => typeof n.p.classes === 'string' && n.p.classes.includes('overflow-auto'),
  );
  if (!board) throw new Error('no board');
  return board.i;
}

describe.each(['memory', 'redis'])('catching up after a reconnect, %s store', (kind) => {
  let app: DemoApp;
  let redis: RedisServer | undefined;

  beforeAll(async () => {
    if (kind === 'redis') redis = await RedisServer.start();
    app = await DemoApp.start(redis ? { REDIS_URL: redis.url } : {});
  });
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  /** Sends one message from a page of its own, through a socket of its own. */
  async function sendMessage(text: string): Promise<void> {
    const page = await loadPage(app.url, '/message-board');
    const socket = connectTab(app.url, page.cookie);
    try {
      await request(socket, 'join', {
        pageId: page.snapshot.pageId,
        versions: page.snapshot.versions,
      });
      const textarea = page.snapshot.nodes.find((n) => n.t === 'textarea')?.i;
      const button = page.snapshot.nodes.find((n) => n.t === 'button')?.i;
      const ack = await request<{ ok: boolean }>(socket, 'event', {
        pageId: page.snapshot.pageId,
        componentId: button,
        type: 'click',
        values: [{ id: textarea, value: text }],
      });
      expect(ack.ok).toBe(true);
    } finally {
      socket.disconnect();
    }
  }

  it('answers a tab that missed a few changes with those patches, not the whole page', async () => {
    const tab = await loadPage(app.url, '/message-board');
    const board = boardOf(tab.snapshot);
    await sendMessage('missed one');
    await sendMessage('missed two');

    const socket = connectTab(app.url, tab.cookie);
    try {
      const ack = await request<JoinAck>(socket, 'join', {
        pageId: tab.snapshot.pageId,
        versions: tab.snapshot.versions,
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.snapshot).toBeUndefined();
      const patches = ack.patches ?? [];
      expect(patches.map((p) => [p.s, p.v])).toEqual([
        [board, tab.snapshot.versions[board] + 1],
        [board, tab.snapshot.versions[board] + 2],
      ]);
      const texts = patches.flatMap((p) => (p.n ?? []).map((n) => n.p.text)).filter(Boolean);
      expect(texts).toEqual(expect.arrayContaining(['missed one', 'missed two']));
    } finally {
      socket.disconnect();
    }
  });

  it.each([
    ['a version the server never had (a store that was reset)', 1000],
    ['a scope the page no longer shows', -1],
  ])('gives the whole page to a tab that knows %s', async (_what, version) => {
    const tab = await loadPage(app.url, '/message-board');
    const board = boardOf(tab.snapshot);
    const socket = connectTab(app.url, tab.cookie);
    const versions =
      version < 0
        ? { ...tab.snapshot.versions, gone: 3 }
        : { ...tab.snapshot.versions, [board]: version };
    try {
      const ack = await request<JoinAck>(socket, 'join', { pageId: tab.snapshot.pageId, versions });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.patches).toBeUndefined();
      expect(ack.snapshot?.versions).toEqual(tab.snapshot.versions);
    } finally {
      socket.disconnect();
    }
  });
});
