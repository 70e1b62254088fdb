/**
 * A tab that cannot use its page says so and recovers where it can: its page removed by a
 * restart of an in-memory server, or by a Redis that came back empty, makes it load a fresh
 * page by itself with the text its user typed put back; a second refusal moments later shows
 * a banner with a Reload button instead of reloading in a loop.
 */
import { Browser, Page } from 'playwright-core';
import { closeAll, launchBrowser, openTab, screenshot, Tab } from '../support/browser';
import { RedisServer } from '../support/redis-server';
import { Replica, startReplica } from '../support/replicas';

jest.setTimeout(90_000);

const NO_SECRET = { PUSHPAGE_SESSION_SECRET: '' };

function textarea(page: Page) {
  return page.getByPlaceholder('Enter message here');
}

/** Waits until the tab has loaded a new document (a reload) and its socket joined again. */
async function reloaded(tab: Tab, joinsBefore: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (tab.joins() <= joinsBefore) {
    if (Date.now() > deadline) throw new Error(`no new join after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a tab whose page is gone (Chromium)', () => {
  let browser: Browser;
  const tabs: Tab[] = [];
  const replicas: Replica[] = [];
  let redis: RedisServer | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await closeAll(
      ...tabs.map((t) => () => t.close()),
      () => browser?.close(),
      ...replicas.map((r) => () => r.stop()),
      () => redis?.stop(),
    );
  }, 30_000);

  async function open(url: string): Promise<Tab> {
    const tab = await openTab(browser, url);
    tabs.push(tab);
    return tab;
  }

  it('reloads a fresh page by itself after an in-memory server restarted, keeping the typed text; a second loss moments later shows the banner', async () => {
    let server = await startReplica(NO_SECRET);
    replicas.push(server);
    const port = server.port;
    const tab = await open(`${server.url}/message-board`);
    const typed = 'typed before the restart';
    await textarea(tab.page).fill(typed);

    const joins = tab.joins();
    await server.stop();
    server = await startReplica(NO_SECRET, port);
    replicas.push(server);
    await reloaded(tab, joins);

    const notice = tab.page.locator('.pushpage-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(
      /loaded again: This page no longer exists .* What you had typed was put back/,
    );
    expect(await textarea(tab.page).inputValue()).toBe(typed);
    await screenshot(tab.page, 'recovery-after-restart');

    // the text is the new page's too: Send posts it
    await tab.page.locator('button', { hasText: 'Send' }).click();
    await tab.page.locator('pre', { hasText: typed }).waitFor();
    await notice.getByRole('button', { name: 'Close' }).click();
    expect(await notice.count()).toBe(0);

    // lost again right away: a reload loop would help nobody, so the tab asks its user
    await server.stop();
    server = await startReplica(NO_SECRET, port);
    replicas.push(server);
    const banner = tab.page.locator('.pushpage-unusable');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toMatch(
      /This page no longer exists on the server .* Reload the page to go on/,
    );
    await screenshot(tab.page, 'recovery-banner');
    const joinsBeforeReload = tab.joins();
    await banner.getByRole('button', { name: 'Reload' }).click();
    await reloaded(tab, joinsBeforeReload);
    expect(await tab.page.locator('.pushpage-unusable').count()).toBe(0);
    await textarea(tab.page).fill('after the reload');
    await tab.page.locator('button', { hasText: 'Send' }).click();
    await tab.page.locator('pre', { hasText: 'after the reload' }).waitFor();
  });

  it('recovers when Redis comes back empty: typed text kept, and its next message reaches a tab on the other replica', async () => {
    redis = await RedisServer.start();
    const redisUrl = redis.url;
    const [one, two] = await Promise.all([
      startReplica({ REDIS_URL: redisUrl, ...NO_SECRET }),
      startReplica({ REDIS_URL: redisUrl, ...NO_SECRET }),
    ]);
    replicas.push(one, two);
    const a = await open(`${one.url}/message-board`);
    const b = await open(`${two.url}/message-board`);
    const typed = 'typed while Redis was away';
    await textarea(a.page).fill(typed);

    const joins = [a.joins(), b.joins()];
    await redis.stop('SIGKILL');
    await redis.restart();
    // the replicas see their store back and ask their tabs to join again: both pages are gone
    await reloaded(a, joins[0], 30_000);
    await reloaded(b, joins[1], 30_000);
    await a.page.locator('.pushpage-notice').waitFor();
    expect(await textarea(a.page).inputValue()).toBe(typed);

    await a.page.locator('button', { hasText: 'Send' }).click();
    await b.page.locator('pre', { hasText: typed }).waitFor({ timeout: 10_000 });
    expect(await b.page.locator('#pushpage-app pre').allInnerTexts()).toEqual([
      typed,
      'Welcome to the simple message board!',
    ]);
    await screenshot(b.page, 'recovery-after-redis-emptied');
  });
});
