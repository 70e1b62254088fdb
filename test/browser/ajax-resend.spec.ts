/**
 * A page without a websocket (/hello posts its clicks to the REST API) sends an event again
 * when the server refuses it for now: `503 unavailable` (Redis away) or `409 conflict`, with
 * the same event id, after the `Retry-After` the server asked for, while the tab says so; the
 * tab's later events wait their turn, and every click is applied once. Other refusals are
 * shown at once, and a refusal that lasts gives up after a bound with the error toast.
 */
import { Browser, Page, Request, Route } from 'playwright-core';
import {
  closeAll,
  demoInBrowser,
  launchBrowser,
  openTab,
  screenshot,
  Tab,
} from '../support/browser';
import { RedisServer } from '../support/redis-server';
import { Replica, startReplica } from '../support/replicas';

const EVENTS = '**/api/pages/*/events';
const UNCLICKED = 'Hello! (click me)';
const clicked = (n: number) => `Hello! I was clicked ${n} times`;

/** One POST of an event as the browser saw it: its id, when it went, what came back. */
interface Post {
  eventId: string;
  sentAt: number;
  status?: number;
}

/** An answer the test gives an event POST instead of the server. */
interface Refusal {
  status: number;
  code: string;
  retryAfter?: string;
}

/** Records every event POST of `page` in the order the browser sent them. */
function recordPosts(page: Page): Post[] {
  const posts: Post[] = [];
  const byRequest = new Map<Request, Post>();
  page.on('request', (req) => {
    if (req.method() !== 'POST' || !req.url().includes('/events')) return;
    const body = req.postDataJSON() as { eventId?: string } | null;
    const post = { eventId: String(body?.eventId), sentAt: Date.now() };
    byRequest.set(req, post);
    posts.push(post);
  });
  page.on('response', (res) => {
    const post = byRequest.get(res.request());
    if (post) post.status = res.status();
  });
  return posts;
}

function hellos(page: Page) {
  return page.locator('#pushpage-app div.cursor-pointer');
}

/** What the server holds for the tab's page now (a fresh read, not what the tab shows). */
async function serverTexts(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    interface Node {
      props: { text?: string };
      children?: Node[];
    }
    const state = JSON.parse(document.getElementById('pushpage-state')?.textContent ?? '{}') as {
      config: { apiBase: string };
    };
    const pushpage = (window as unknown as { pushpage: { tree: { pageId: string } } }).pushpage;
    const res = await fetch(`${state.config.apiBase}/${pushpage.tree.pageId}`, {
      credentials: 'same-origin',
    });
    const { tree } = (await res.json()) as { tree: Node };
    return (tree.children ?? []).map((c) => c.props.text ?? '');
  });
}

/** The ten texts with `clicks` (index → count) clicked. */
function expected(clicks: Record<number, number>): string[] {
  return Array.from({ length: 10 }, (_, i) => (clicks[i] ? clicked(clicks[i]) : UNCLICKED));
}

async function waitForTexts(page: Page, want: string[], timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (texts) =>
      JSON.stringify(
        [...document.querySelectorAll('#pushpage-app div.cursor-pointer')].map(
          (el) => el.textContent,
        ),
      ) === JSON.stringify(texts),
    want,
    { timeout },
  );
}

/** The statuses of each event's POSTs, event by event in the order they were first sent. */
function attemptsByEvent(posts: Post[]): number[][] {
  const byEvent = new Map<string, number[]>();
  for (const post of posts) {
    const statuses = byEvent.get(post.eventId) ?? [];
    statuses.push(post.status ?? 0);
    byEvent.set(post.eventId, statuses);
  }
  return [...byEvent.values()];
}

/** Whether each event's POSTs all went before the next event's first. */
function inOrder(posts: Post[]): boolean {
  const ids = posts.map((p) => p.eventId);
  return ids.every((id, i) => i === 0 || id === ids[i - 1] || !ids.slice(0, i).includes(id));
}

describe('an Ajax page while Redis is away (Chromium, a replica on a real Redis)', () => {
  let browser: Browser | undefined;
  let redis: RedisServer | undefined;
  let replica: Replica | undefined;
  let tab: Tab | undefined;

  beforeAll(async () => {
    // persistent, so the page is still there when Redis comes back on the same port
    redis = await RedisServer.start({ persistent: true });
    replica = await startReplica({ REDIS_URL: redis.url, PUSHPAGE_LOG_LEVEL: 'warn' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await closeAll(
      () => tab?.close(),
      () => browser?.close(),
      () => replica?.stop(),
      () => redis?.dispose(),
    );
  }, 30_000);

  it('sends a click answered 503 again once Redis is back, applies it once, and keeps the next click behind it', async () => {
    if (!browser || !redis || !replica) throw new Error('setup failed');
    tab = await openTab(browser, `${replica.url}/hello`);
    const { page } = tab;
    const posts = recordPosts(page);
    await hellos(page).nth(0).click();
    await waitForTexts(page, expected({ 0: 1 }), 5000);

    await redis.stop('SIGKILL');
    await hellos(page).nth(2).click();
    await hellos(page).nth(2).click();
    // the replica answers the first click 503 (it cannot reach Redis); the tab says it resends
    await page.locator('.pushpage-resending').waitFor({ timeout: 15_000 });
    expect(posts.slice(1).map((p) => p.status)).toContain(503);
    await screenshot(page, 'ajax-resending');
    // the second click waits behind the first: nothing of it was sent yet
    expect(new Set(posts.slice(1).map((p) => p.eventId)).size).toBe(1);

    await redis.restart();
    await waitForTexts(page, expected({ 0: 1, 2: 2 }));
    await page.locator('.pushpage-resending').waitFor({ state: 'detached', timeout: 5000 });
    expect(await serverTexts(page)).toEqual(expected({ 0: 1, 2: 2 }));

    const [first, during, after] = attemptsByEvent(posts);
    expect(first).toEqual([200]);
    // refused while Redis was away, then the same event id answered with the page
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.slice(0, -1).every((status) => status === 503)).toBe(true);
    expect(during[during.length - 1]).toBe(200);
    expect(after).toEqual([200]);
    expect(inOrder(posts)).toBe(true);
    expect(await page.locator('.pushpage-error').count()).toBe(0);
  }, 60_000);
});

describe('an Ajax page refused for now (Chromium, answers intercepted)', () => {
  const demo = demoInBrowser();

  /** Answers the event POSTs with `refusals`, in turn, then lets them through to the server. */
  async function refuseFirst(page: Page, refusals: Refusal[]): Promise<void> {
    const left = [...refusals];
    await page.route(EVENTS, async (route: Route) => {
      const refusal = left.shift();
      if (!refusal) return route.continue();
      await route.fulfill({
        status: refusal.status,
        contentType: 'application/json',
        headers: refusal.retryAfter ? { 'retry-after': refusal.retryAfter } : {},
        body: JSON.stringify({
          statusCode: refusal.status,
          code: refusal.code,
          message: `refused (${refusal.code}) by the test`,
        }),
      });
    });
  }

  /** Opens /hello in a new tab whose first event POSTs are answered with `refusals`. */
  async function openRefused(
    refusals: Refusal[],
  ): Promise<{ tab: Tab; page: Page; posts: Post[] }> {
    const tab = await demo().open('/hello');
    const posts = recordPosts(tab.page);
    await refuseFirst(tab.page, refusals);
    return { tab, page: tab.page, posts };
  }

  it('resends a click answered 409 conflict after its Retry-After, with the same id, once; the next click waits', async () => {
    const { tab, page, posts } = await openRefused([
      { status: 409, code: 'conflict', retryAfter: '1' },
    ]);

    await hellos(page).nth(1).click();
    await hellos(page).nth(4).click();
    await page.locator('.pushpage-resending').waitFor({ timeout: 2000 });
    await waitForTexts(page, expected({ 1: 1, 4: 1 }), 5000);
    await page.locator('.pushpage-resending').waitFor({ state: 'detached', timeout: 2000 });
    expect(await serverTexts(page)).toEqual(expected({ 1: 1, 4: 1 }));

    expect(attemptsByEvent(posts)).toEqual([[409, 200], [200]]);
    expect(inOrder(posts)).toBe(true);
    // Retry-After: 1 waited out (plus at most a fifth), not more
    const resentAfter = posts[1].sentAt - posts[0].sentAt;
    expect(resentAfter).toBeGreaterThanOrEqual(950);
    expect(resentAfter).toBeLessThan(2500);
    expect(await page.locator('.pushpage-error').count()).toBe(0);
    await tab.close();
  }, 30_000);

  it('shows other refusals at once, without sending them again', async () => {
    const { tab, page, posts } = await openRefused([
      { status: 429, code: 'rate-limited', retryAfter: '1' },
    ]);
    // the timers the tab sets from now on run on a clock the test moves
    await page.clock.install();

    await hellos(page).nth(3).click();
    await page.locator('.pushpage-error', { hasText: 'refused (rate-limited)' }).waitFor();
    // past any wait Retry-After: 1 gives (1 to 1.2 s): a resend would have been sent by now
    await page.clock.runFor(2500);
    expect(await page.locator('.pushpage-resending').count()).toBe(0);
    expect(await serverTexts(page)).toEqual(expected({}));

    // the tab goes on: the next click is sent and applied, and no resend went before it
    await hellos(page).nth(3).click();
    await waitForTexts(page, expected({ 3: 1 }), 5000);
    expect(attemptsByEvent(posts)).toEqual([[429], [200]]);
    await tab.close();
  }, 30_000);

  it('gives up after about 30 s of refusals with the error toast, and goes on with the next click', async () => {
    const context = await demo().browser.newContext();
    const page = await context.newPage();
    try {
      // fake timers, so half a minute of resending takes a few seconds
      await page.clock.install();
      await page.goto(`${demo().app.url}/hello`);
      const posts = recordPosts(page);
      await refuseFirst(
        page,
        Array.from({ length: 100 }, () => ({ status: 503, code: 'unavailable', retryAfter: '2' })),
      );

      await hellos(page).nth(5).click();
      await page.locator('.pushpage-resending').waitFor({ timeout: 5000 });
      const error = page.locator('.pushpage-error', { hasText: 'refused (unavailable)' });
      let resentForMs = 0;
      while ((await error.count()) === 0) {
        if (resentForMs > 40_000)
          throw new Error(`no error after ${resentForMs} ms: ${posts.length}`);
        await page.clock.runFor(250);
        resentForMs += 250;
      }
      expect(await page.locator('.pushpage-resending').count()).toBe(0);
      // gave up once a next wait (2 to 2.4 s) would pass the 30 s bound, not when the refusals
      // the test had ready ran out
      expect(resentForMs).toBeGreaterThanOrEqual(27_000);
      expect(resentForMs).toBeLessThanOrEqual(32_000);
      const [attempts] = attemptsByEvent(posts);
      expect(attempts.length).toBeGreaterThanOrEqual(10);
      expect(attempts.length).toBeLessThanOrEqual(16);
      expect(attempts.every((status) => status === 503)).toBe(true);
      expect(attemptsByEvent(posts)).toHaveLength(1);

      await page.unroute(EVENTS);
      await hellos(page).nth(5).click();
      await waitForTexts(page, expected({ 5: 1 }), 5000);
      expect(attemptsByEvent(posts).map((statuses) => statuses.length)).toEqual([
        attempts.length,
        1,
      ]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
