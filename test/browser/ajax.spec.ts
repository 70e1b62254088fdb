import type { Page, Request } from 'playwright-core';
import { demoInBrowser, screenshot } from '../support/browser';
import { waitFor } from '../support/ports';

/** A GET of a page's view: the poll of a page without a websocket. */
function isPoll(request: Request): boolean {
  return request.method() === 'GET' && request.url().includes('/api/pages/');
}

/**
 * Runs in the page before its scripts: keeps, for each poll the page starts, whether the tab
 * was hidden at that moment.
 */
function recordPolls(): void {
  const polls: boolean[] = [];
  (window as unknown as { polls: boolean[] }).polls = polls;
  const send = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    if ((init?.method ?? 'GET') === 'GET' && url.includes('/api/pages/'))
      polls.push(document.hidden);
    return send(input, init);
  };
}

describe('pages without websockets (browser)', () => {
  const demo = demoInBrowser();

  /** The count the dashboard shown in `page` holds in the store. */
  async function storedCount(page: Page): Promise<number> {
    const pageId = await page.evaluate(
      () =>
        (
          JSON.parse(document.getElementById('pushpage-state')?.textContent ?? '{}') as {
            snapshot: { pageId: string };
          }
        ).snapshot.pageId,
    );
    const records = await demo().app.store.load([pageId], 'page');
    const counter = records.find((r) => r.parent === pageId);
    return Number(JSON.parse(counter?.fields['p:text'] ?? '""'));
  }

  it('handles /hello clicks over HTTP and opens no WebSocket', async () => {
    const page = await (await demo().browser.newContext()).newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const posts: number[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && r.url().includes('/api/pages/'))
        posts.push(r.status());
    });
    await page.goto(`${demo().app.url}/hello`);
    const third = page.locator('#pushpage-app div.cursor-pointer').nth(2);
    await third.click();
    await third.click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll('#pushpage-app div.cursor-pointer')[2]?.textContent ===
        'Hello! I was clicked 2 times',
      undefined,
      { timeout: 5000 },
    );
    expect(posts).toEqual([200, 200]);
    expect(sockets).toEqual([]);
    await screenshot(page, 'hello-ajax');
    await page.context().close();
  }, 30_000);

  it('refreshes /dashboard in place every 2.5 s, without a reload and without a WebSocket', async () => {
    const page = await (await demo().browser.newContext()).newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const polls: number[] = [];
    page.on('response', (r) => {
      if (isPoll(r.request())) polls.push(Date.now());
    });
    await page.goto(`${demo().app.url}/dashboard`);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const counter = page.locator('#pushpage-app div.bg-blue-500');
    const first = Number(await counter.textContent());
    await waitFor('two polls', () => polls.length >= 2, 10_000);
    // only a poll changes the count this page shows (no socket; the marker rules out a reload)
    await waitFor('a newer count', async () => Number(await counter.textContent()) > first, 5000);
    const gaps = polls.slice(1).map((t, i) => t - polls[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThan(2000);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(sockets).toEqual([]);
    await screenshot(page, 'dashboard-polling');
    await page.context().close();
  }, 30_000);

  it('pauses polling while the tab is hidden and refreshes at once when it is shown', async () => {
    const context = await demo().browser.newContext();
    await context.addInitScript(recordPolls);
    const page = await context.newPage();
    const polls = () => page.evaluate(() => [...(window as unknown as { polls: boolean[] }).polls]);
    await page.clock.install();
    await page.goto(`${demo().app.url}/dashboard`);
    await waitFor('a poll while the tab is shown', async () => (await polls()).length > 0);
    // the page's timers fire from now on only as the test moves its clock
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 100));
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { value: h, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    const beforeHiding = (await polls()).length;
    // every timer due in two poll periods fires
    await page.clock.runFor(6000);
    expect((await polls()).slice(beforeHiding)).toEqual([]);

    const counter = page.locator('#pushpage-app div.bg-blue-500');
    const stale = Number(await counter.textContent());
    await waitFor('the dashboard to count on', async () => (await storedCount(page)) > stale);
    await setHidden(false);
    // the clock stands still: only showing the tab can have started this poll
    await waitFor('a poll on showing', async () => (await polls()).length > beforeHiding);
    await waitFor('the newer count', async () => Number(await counter.textContent()) > stale);
    expect((await polls()).slice(beforeHiding)).toEqual([false]);
    await context.close();
  }, 30_000);
});
