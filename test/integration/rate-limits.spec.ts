/**
 * Limits a load balancer would otherwise multiply by the number of replicas count in the
 * store's Redis: two replicas of the demo (in this process) on one Redis, and on a Redis
 * Cluster, share one budget of REST requests per session and of new pages per address.
 */
import { DemoApp } from '../support/demo-app';
import { RedisServer } from '../support/redis-server';
import { STORE_BACKENDS, RunningBackend } from '../support/store-backends';

/** Opens a page over REST; its status, Retry-After and session cookie. */
async function openPage(
  app: DemoApp,
): Promise<{ status: number; retryAfter: string | null; cookie: string }> {
  const res = await fetch(`${app.url}/api/pages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: '/' }),
  });
  await res.arrayBuffer();
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0],
  };
}

describe.each(STORE_BACKENDS)('rate limits across replicas on %s', (_name, backend) => {
  let redis: RunningBackend;
  const apps: DemoApp[] = [];

  beforeAll(async () => {
    redis = await backend.start();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
  });
  afterAll(async () => {
    await redis.stop();
  });

  async function replicas(env: Record<string, string>): Promise<[DemoApp, DemoApp]> {
    // each test its own key prefix: budgets of earlier tests stay out of the count
    const prefix = { PUSHPAGE_KEY_PREFIX: `rl${Date.now()}:`, ...redis.env, ...env };
    const pair = await Promise.all([DemoApp.start(prefix), DemoApp.start(prefix)]);
    apps.push(...pair);
    return pair;
  }

  it('lets one address open pageRateLimit × 30 pages in all, whichever replica it asks', async () => {
    // 1 a second: 30 in a 30-second window, which a test this short does not leave
    const [a, b] = await replicas({ PUSHPAGE_PAGE_RATE_LIMIT: '1' });
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push(await openPage(i % 2 === 0 ? a : b));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(201));
    // counted per replica, each would have let 20 through
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    for (const refused of answers.slice(30))
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("counts a session's REST requests on every replica in one budget", async () => {
    const [a, b] = await replicas({ PUSHPAGE_REST_RATE_LIMIT: '1000' });
    const { cookie } = await openPage(a);
    const remaining: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${(i % 2 === 0 ? b : a).url}/api/pages/nosuchpage`, {
        headers: { cookie },
      });
      await res.arrayBuffer();
      expect(res.status).toBe(404);
      remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
    }
    // one count: each answer one less than the one before (from either replica), unless a
    // new one-second window began; counted per replica, the two would take turns
    for (let i = 1; i < remaining.length; i++)
      expect([remaining[i - 1] - 1, 999]).toContain(remaining[i]);
  }, 60_000);
});

describe('rate limits while Redis is down', () => {
  let redis: RedisServer;
  let app: DemoApp;

  beforeAll(async () => {
    redis = await RedisServer.start();
    app = await DemoApp.start({ REDIS_URL: redis.url, PUSHPAGE_REST_RATE_LIMIT: '5' });
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    await redis.dispose();
  });

  it('count on this replica while Redis is down: the outage answers 503, a flood still 429', async () => {
    const { cookie } = await openPage(app);
    await redis.stop();
    const statuses = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await fetch(`${app.url}/api/pages/nosuchpage`, { headers: { cookie } });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    // five reach the store, which cannot answer; the rest are over the session's 5 a second
    // (a window may turn while the five wait for the store: a few more 503s then)
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((status) => status !== 503)).toEqual(
      Array(statuses.filter((status) => status !== 503).length).fill(429),
    );
    await redis.restart();
  }, 60_000);
});
