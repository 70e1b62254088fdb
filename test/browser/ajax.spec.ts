import { demoInBrowser, screenshot } from '../support/browser';

describe('pages without websockets (browser)', () => {
  const demo = demoInBrowser();

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
      if (r.request().method() === 'GET' && r.url().includes('/api/pages/')) polls.push(Date.now());
    });
    await page.goto(`${demo().app.url}/dashboard`);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const counter = page.locator('#pushpage-app div.bg-blue-500');
    const first = Number(await counter.textContent());
    await page.waitForTimeout(5800);
    const later = Number(await counter.textContent());
    expect(later).toBeGreaterThanOrEqual(first + 3);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.length).toBeLessThanOrEqual(3);
    const gaps = polls.slice(1).map((t, i) => t - polls[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThan(2000);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(sockets).toEqual([]);
    await screenshot(page, 'dashboard-polling');
    await page.context().close();
  }, 30_000);

  it('pauses polling while the tab is hidden and refreshes at once when it is shown', async () => {
    const page = await (await demo().browser.newContext()).newPage();
    const polls: number[] = [];
    page.on('request', (r) => {
      if (r.method() === 'GET' && r.url().includes('/api/pages/')) polls.push(Date.now());
    });
    await page.goto(`${demo().app.url}/dashboard`);
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { value: h, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    const hiddenAt = Date.now();
    await page.waitForTimeout(6000);
    expect(polls.filter((t) => t > hiddenAt + 100)).toEqual([]);
    const counter = page.locator('#pushpage-app div.bg-blue-500');
    const stale = Number(await counter.textContent());
    const shownAt = Date.now();
    await setHidden(false);
    await page.waitForFunction(
      (before) =>
        Number(document.querySelector('#pushpage-app div.bg-blue-500')?.textContent) > before,
      stale,
      {
        timeout: 1500,
      },
    );
    expect(polls.some((t) => t >= shownAt && t - shownAt < 1000)).toBe(true);
    await page.context().close();
  }, 30_000);
});
