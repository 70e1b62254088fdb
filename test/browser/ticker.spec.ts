import { Redis } from 'ioredis';
import { Page } from 'playwright-core';
import { TICKER_EVERY_MS } from '../../apps/demo/pages/ticker.page';
import { clusterInBrowser } from '../support/cluster-browser';

/** The ticker's count as a tab shows it (0 before the first tick). */
async function ticksIn(page: Page): Promise<number> {
  const text = await page.locator('#ticks').innerText();
  return /^\d+/.test(text) ? Number.parseInt(text, 10) : 0;
}

describe('a page timer on two replicas behind one Redis (browser)', () => {
  const cluster = clusterInBrowser(2);

  it('ticks once a second for the cluster while tabs are open, stops when the last has gone, and goes on when one comes back', async () => {
    const redis = new Redis(cluster().storeEnv.REDIS_URL);
    try {
      const one = await cluster().open(0, '/ticker');
      const two = await cluster().open(1, '/ticker');
      // both tabs, on both replicas, see every tick
      const first = await ticksIn(one.page);
      const started = Date.now();
      const later = new RegExp(`^${first + 3} ticks$`);
      await two.page.locator('#ticks', { hasText: later }).waitFor({ timeout: 10_000 });
      await one.page.locator('#ticks', { hasText: later }).waitFor({ timeout: 10_000 });
      // once for the cluster: two replicas each ticking would count about twice as fast
      const elapsed = Date.now() - started;
      expect(3).toBeLessThanOrEqual(Math.floor(elapsed / TICKER_EVERY_MS) + 1);

      // pausing from a tab stops it everywhere; resuming starts it again
      await two.page.locator('#pause').click();
      await one.page.locator('#pause', { hasText: 'Resume' }).waitFor();
      await one.page.locator('#pause').click();
      const resumedAt = await ticksIn(one.page);
      await two.page
        .locator('#ticks', { hasText: new RegExp(`^${resumedAt + 1} ticks$`) })
        .waitFor({ timeout: 10_000 });

      // the last tab goes: no replica claims a tick any more, so its due time stands still
      await one.close();
      await two.close();
      const [member] = await redis.zrange('pp:{timers}', 0, -1);
      const due = Number(await redis.zscore('pp:{timers}', member));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const settled = Number(await redis.zscore('pp:{timers}', member)); // a tick in flight
      while (Date.now() < settled + 3 * TICKER_EVERY_MS)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(Number(await redis.zscore('pp:{timers}', member))).toBe(settled);
      expect(settled - due).toBeLessThanOrEqual(TICKER_EVERY_MS);
      const three = await cluster().open(1, '/ticker');
      const stood = await ticksIn(three.page);
      // a tab is back: the timer wakes and counts on from where it stood
      await three.page
        .locator('#ticks', { hasText: new RegExp(`^${stood + 1} ticks$`) })
        .waitFor({ timeout: 10_000 });
      for (const t of [one, two, three]) expect(t.problems).toEqual([]);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
