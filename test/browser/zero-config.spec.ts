/**
 * Replicas that share a Redis are one app with no other setting than the origin browsers reach
 * it at (the balancer's): no session secret is configured, haproxy sends each request and
 * websocket round robin (no stickiness), so a tab's page load and its socket land on different
 * replicas, and they still recognise its session.
 */
import { Page } from 'playwright-core';
import { Browser } from 'playwright-core';
import { closeAll, launchBrowser, openTab, screenshot, Tab } from '../support/browser';
import { Haproxy } from '../support/haproxy';
import { freePort } from '../support/ports';
import { RedisServer } from '../support/redis-server';
import { Replica, startReplica, startReplicas } from '../support/replicas';

jest.setTimeout(90_000);

/** No secret: the replicas agree on one through Redis. */
const NO_SECRET = { PUSHPAGE_SESSION_SECRET: '' };

function messages(page: Page): Promise<string[]> {
  return page.locator('#pushpage-app pre').allInnerTexts();
}

/** Types `text` in `from` and sends it; waits until every tab in `to` shows it. */
async function post(from: Tab, to: Tab[], text: string, timeoutMs = 10_000): Promise<void> {
  await from.page.getByPlaceholder('Enter message here').fill(text);
  await from.page.locator('button', { hasText: 'Send' }).click();
  for (const tab of [from, ...to])
    await tab.page.locator('pre', { hasText: text }).waitFor({ timeout: timeoutMs });
}

describe('two replicas on one Redis with no session secret, behind round-robin haproxy (Chromium)', () => {
  let redis: RedisServer;
  let replicas: Replica[] = [];
  let proxy: Haproxy;
  let browser: Browser;
  const tabs: Tab[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    const proxyPort = await freePort();
    [replicas, browser] = await Promise.all([
      startReplicas(2, redis.url, {
        ...NO_SECRET,
        PUSHPAGE_PUBLIC_ORIGINS: `http://127.0.0.1:${proxyPort}`,
      }),
      launchBrowser(),
    ]);
    proxy = await Haproxy.start(
      replicas.map((r) => r.port),
      proxyPort,
    );
  }, 60_000);

  afterAll(async () => {
    await closeAll(
      ...tabs.map((t) => () => t.close()),
      () => browser?.close(),
      () => proxy?.stop(),
      ...replicas.map((r) => () => r.stop()),
      () => redis?.stop(),
    );
  }, 30_000);

  it('agree on one secret through Redis, logging it once each', () => {
    const lines = replicas.map((r) =>
      r.output
        .join('')
        .split('\n')
        .filter((line) => line.includes('PUSHPAGE_SESSION_SECRET')),
    );
    const said = lines.map((l) => l.join('\n'));
    expect(said.filter((l) => /created in the shared store/.test(l))).toHaveLength(1);
    expect(said.filter((l) => /read from the shared store/.test(l))).toHaveLength(1);
    for (const l of lines) expect(l).toHaveLength(1);
  });

  it('still refuse to start in production without a configured secret, saying why', async () => {
    await expect(
      startReplica({ REDIS_URL: redis.url, NODE_ENV: 'production', ...NO_SECRET }),
    ).rejects.toThrow(/PUSHPAGE_SESSION_SECRET is required in production/);
  });

  it('let two tabs exchange messages both ways, and still after a replica dies', async () => {
    const a = await openTab(browser, `${proxy.url}/message-board`);
    tabs.push(a);
    const b = await openTab(browser, `${proxy.url}/message-board`);
    tabs.push(b);

    await post(a, [b], 'from A through any replica');
    await post(b, [a], 'from B through any replica');

    await replicas[0].stop('SIGKILL');
    // both tabs end up on the replica left, whichever they were on
    await post(a, [b], 'from A after a replica died', 20_000);
    await post(b, [a], 'from B after a replica died', 20_000);

    for (const tab of [a, b]) {
      expect((await messages(tab.page)).slice(0, 4)).toEqual([
        'from B after a replica died',
        'from A after a replica died',
        'from B through any replica',
        'from A through any replica',
      ]);
      expect(await tab.page.locator('.pushpage-error, .pushpage-unusable').count()).toBe(0);
    }
    await screenshot(a.page, 'zero-config-tab-a');
  });
});
