/**
 * The shared counter in Chromium: tabs on two replicas click at the same moment, and every
 * click counts in every tab.
 */
import { clusterInBrowser, ClusterInBrowser } from '../support/cluster-browser';
import { screenshot, Tab } from '../support/browser';

jest.setTimeout(90_000);

const TABS = 4;
const CLICKS = 10;

function countText(tab: Tab): Promise<string> {
  return tab.page.locator('#count').innerText();
}

describe('shared counter on two replicas (Chromium)', () => {
  const cluster = clusterInBrowser(2);

  it(`counts ${TABS * CLICKS} clicks made at once from ${TABS} tabs`, async () => {
    const { open }: ClusterInBrowser = cluster();
    const tabs: Tab[] = [];
    for (let i = 0; i < TABS; i++) tabs.push(await open(i % 2, '/counter'));
    const start = Number(/\d+/.exec(await countText(tabs[0]))?.[0]);

    // every tab clicks as fast as the page lets it, all tabs at once
    await Promise.all(
      tabs.map(async (tab) => {
        for (let c = 0; c < CLICKS; c++) await tab.page.locator('#click').click();
      }),
    );
    await Promise.all(tabs.map((tab) => tab.waitForEventAcks(CLICKS, 30_000)));
    for (const tab of tabs) for (const ack of tab.eventAcks) expect(ack).toMatch(/^\{"ok":true/);

    const expected = `Clicked ${start + TABS * CLICKS} times`;
    for (const tab of tabs)
      await tab.page.locator('#count', { hasText: expected }).waitFor({ timeout: 10_000 });
    await screenshot(tabs[0].page, 'shared-counter');
    for (const tab of tabs) {
      expect(await countText(tab)).toBe(expected);
      expect(tab.problems).toEqual([]);
      expect(await tab.page.locator('.pushpage-error, .pushpage-unusable').count()).toBe(0);
    }
  });
});
