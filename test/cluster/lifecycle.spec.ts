import { EXPIRY_BUCKETS, RedisLayout } from '../../libs/pushpage/src/store/redis/redis-layout';
import { Socket } from 'socket.io-client';
import { connectTab, loadPage, request } from '../support/demo-app';
import { metric } from '../support/metrics';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';
import { Replica, startReplicas } from '../support/replicas';

const GRACE_MS = 1000;

describe('page lifecycle across replicas', () => {
  let redis: RedisServer;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    replicas = await startReplicas(2, redis.url, {
      PUSHPAGE_DISCONNECT_GRACE_MS: String(GRACE_MS),
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.stop();
  }, 30_000);

  /**
   * Keys in Redis, but the catch-up logs of the shared pages and elements (the clock and the
   * dashboard tick on): those are bounded and expire, and a page's own log goes with it.
   */
  async function keyCount(): Promise<number> {
    const client = redis.client();
    try {
      const keys = await client.keys('*');
      return keys.filter((key) => !key.endsWith(':log')).length;
    } finally {
      client.disconnect();
    }
  }

  interface OpenPage {
    pageId: string;
    cookie: string;
    socket: Socket;
  }

  async function openPages(count: number, on: (i: number) => Replica): Promise<OpenPage[]> {
    const out: OpenPage[] = [];
    for (let i = 0; i < count; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
          const replica = on(i + j);
          const page = await loadPage(replica.url, '/message-board');
          const socket = connectTab(replica.url, page.cookie);
          await request(socket, 'join', {
            pageId: page.snapshot.pageId,
            versions: page.snapshot.versions,
          });
          return { pageId: page.snapshot.pageId, cookie: page.cookie, socket };
        }),
      );
      out.push(...batch);
    }
    return out;
  }

  it('returns to the baseline key count after 200 pages were opened and closed', async () => {
    await openPages(1, () => replicas[0]).then((p) => p[0].socket.disconnect());
    await waitFor(
      'the warm-up page to go',
      async () => (await pagesAlive()) === 0 && (await keyCount()) < 20,
      10_000,
      200,
    );
    const baseline = await keyCount();
    const pages = await openPages(200, (i) => replicas[i % 2]);
    // each page is at least its scope's two hashes
    expect(await keyCount()).toBeGreaterThanOrEqual(baseline + 200 * 2);
    // a tab that stays keeps its page past the grace
    const kept = pages.pop() as OpenPage;
    for (const p of pages) p.socket.disconnect();
    await waitFor(
      'the key count to return to the baseline',
      async () => (await keyCount()) <= baseline + 20,
      15_000,
      200,
    );
    const stillThere = await loadPage(replicas[1].url, '/message-board');
    stillThere.snapshot.pageId = kept.pageId;
    const ack = await request<{ ok: boolean }>(kept.socket, 'join', { pageId: kept.pageId });
    expect(ack.ok).toBe(true);
    kept.socket.disconnect();
    await waitFor(
      'the last page to go too',
      async () => (await keyCount()) === baseline,
      15_000,
      200,
    );
  }, 90_000);

  it('lets a reconnect within the grace keep the page, on another replica', async () => {
    const livePages = async () => (await metric(replicas[0], 'pushpage_live_pages')) ?? 0;
    const before = await livePages();
    const [kept, abandoned] = await openPages(2, () => replicas[0]);
    // the kept page's grace starts first: a sweep that deletes the other had its chance at it
    kept.socket.disconnect();
    await waitFor('replica 0 to see the tab leave', async () => (await livePages()) === before + 1);
    const abandonedAt = Date.now();
    abandoned.socket.disconnect();
    await waitFor(
      'replica 0 to see the other tab leave',
      async () => (await livePages()) === before,
    );
    const socket = connectTab(replicas[1].url, kept.cookie);
    const ack = await request<{ ok: boolean }>(socket, 'join', { pageId: kept.pageId });
    expect(ack.ok).toBe(true);
    await waitFor(
      'the page nobody came back to to go',
      async () => (await deadlineOf(abandoned.pageId)) === null,
    );
    expect(Date.now() - abandonedAt).toBeGreaterThanOrEqual(GRACE_MS);
    // kept, and kept alive: its deadline, past by now had nobody moved it, lies ahead
    expect(await deadlineOf(kept.pageId)).toBeGreaterThan(Date.now());
    const again = await request<{ ok: boolean }>(socket, 'resync', { pageId: kept.pageId });
    expect(again.ok).toBe(true);
    socket.disconnect();
  }, 30_000);

  /** The page's deadline in the store; `null` once the page is deleted. */
  async function deadlineOf(pageId: string): Promise<number | null> {
    const client = redis.client();
    try {
      const score = await client.zscore(new RedisLayout('pp:').expiry(pageId), pageId);
      return score === null ? null : Number(score);
    } finally {
      client.disconnect();
    }
  }

  async function pagesAlive(): Promise<number> {
    const client = redis.client();
    try {
      const buckets = Array.from({ length: EXPIRY_BUCKETS }, (_, i) => `pp:{expiry:${i}}`);
      const counts = await Promise.all(buckets.map((key) => client.zcard(key)));
      return counts.reduce((sum, n) => sum + n, 0);
    } finally {
      client.disconnect();
    }
  }

  it('deletes the pages of a replica killed outright', async () => {
    await waitFor('earlier pages to go', async () => (await pagesAlive()) === 0, 15_000, 200);
    const baseline = await keyCount();
    await openPages(20, () => replicas[1]);
    expect(await keyCount()).toBeGreaterThan(baseline);
    await replicas[1].stop('SIGKILL');
    await waitFor(
      "the dead replica's pages to go",
      async () => (await keyCount()) === baseline,
      15_000,
      200,
    );
  }, 60_000);
});
