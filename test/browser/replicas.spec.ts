import { Page } from 'playwright-core';
import { collectChanges, screenshot, Tab } from '../support/browser';
import { clusterInBrowser } from '../support/cluster-browser';

const CLOCK_FORMAT =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}:\d{2}$/;

function messages(page: Page): Promise<string[]> {
  return page.locator('#pushpage-app pre').allInnerTexts();
}

async function send(tab: Tab, text: string): Promise<void> {
  await tab.page.getByPlaceholder('Enter message here').fill(text);
  await tab.page.locator('button', { hasText: 'Send' }).click();
}

describe('two replicas behind one Redis (browser)', () => {
  const cluster = clusterInBrowser(2);

  it('shows messages sent on either replica on both', async () => {
    const [one, two] = cluster().replicas;
    expect(one.url).not.toBe(two.url);
    const a = await cluster().open(0, '/message-board');
    const b = await cluster().open(1, '/message-board');
    // One board for the cluster: one welcome message on both.
    expect(await messages(a.page)).toEqual(['Welcome to the simple message board!']);
    expect(await messages(b.page)).toEqual(['Welcome to the simple message board!']);

    const fromOne = `from replica 1 ${Date.now()}`;
    await send(a, fromOne);
    await b.page.locator('pre', { hasText: fromOne }).waitFor({ timeout: 2000 });

    const fromTwo = `from replica 2 ${Date.now()}`;
    await send(b, fromTwo);
    await a.page.locator('pre', { hasText: fromTwo }).waitFor({ timeout: 2000 });

    const expected = [fromTwo, fromOne, 'Welcome to the simple message board!'];
    await b.page.locator('pre', { hasText: fromTwo }).waitFor({ timeout: 2000 });
    expect(await messages(a.page)).toEqual(expected);
    expect(await messages(b.page)).toEqual(expected);

    await screenshot(a.page, 'replicas-message-board-replica-1');
    await screenshot(b.page, 'replicas-message-board-replica-2');
    for (const tab of [a, b]) {
      expect(tab.problems).toEqual([]);
      expect(tab.eventAcks.every((ack) => ack.startsWith('{"ok":true'))).toBe(true);
    }
  }, 30_000);

  it('shows the same clock on both replicas', async () => {
    const a = await cluster().open(0, '/clock');
    const b = await cluster().open(1, '/clock');
    const read = async () => [
      await a.page.locator('#pushpage-app span').first().innerText(),
      await b.page.locator('#pushpage-app span').first().innerText(),
    ];
    // Both tick (one task for the cluster drives both) and agree, tick after tick.
    const seen = await collectChanges(
      read,
      (values) => {
        const agreed = values.filter(([x, y]) => CLOCK_FORMAT.test(x) && x === y);
        return new Set(agreed.map(([x]) => x)).size >= 2;
      },
      3500,
    );
    const agreed = seen.filter(([x, y]) => CLOCK_FORMAT.test(x) && x === y).map(([x]) => x);
    expect(new Set(agreed).size).toBeGreaterThanOrEqual(2);

    await screenshot(b.page, 'replicas-clock-replica-2');
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  }, 30_000);
});
