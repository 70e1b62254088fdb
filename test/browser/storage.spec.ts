import type { Page } from 'playwright-core';
import { clusterInBrowser } from '../support/cluster-browser';

/** Opens `url` in another tab of the same browser context (same cookie, so same session). */
async function anotherTab(from: Page, url: string): Promise<Page> {
  const page = await from.context().newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('#theme').waitFor();
  return page;
}

async function shows(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector, { hasText: text }).waitFor({ timeout: 5000 });
}

describe('per-user and per-tab storage (browser, two replicas, Redis)', () => {
  const cluster = clusterInBrowser(2);

  it('shares the session’s storage between tabs and replicas, and keeps a tab’s own across its reload', async () => {
    const { replicas } = cluster();
    const first = await cluster().open(0, '/storage');
    const one = first.page;
    await shows(one, '#theme', 'Theme: not chosen');
    // a second tab of the same browser, on the other replica
    const two = await anotherTab(one, `${replicas[1].url}/storage`);
    await shows(two, '#theme', 'Theme: not chosen');

    // written by a handler on replica 1, read by a handler on replica 2
    await one.locator('#theme-dark').click();
    await shows(one, '#theme', 'Theme: dark');
    await two.locator('#theme-read').click();
    await shows(two, '#theme', 'Theme: dark');
    // and by the page's render there
    await two.reload({ waitUntil: 'load' });
    await shows(two, '#theme', 'Theme: dark');
    // and the other way round
    await two.locator('#theme-light').click();
    await shows(two, '#theme', 'Theme: light');
    await one.locator('#theme-read').click();
    await shows(one, '#theme', 'Theme: light');

    // the tab's own storage: kept across a reload of the tab
    await one.locator('#draft').fill('kept by the first tab');
    await one.locator('#draft-save').click();
    await shows(one, '#draft-shown', 'Kept: kept by the first tab');
    await one.reload({ waitUntil: 'load' });
    await one.locator('#draft-read').click();
    await shows(one, '#draft-shown', 'Draft: kept by the first tab');

    // another tab of the same session, on the same replica and origin, has its own
    const three = await anotherTab(one, `${replicas[0].url}/storage`);
    await three.locator('#draft-read').click();
    await shows(three, '#draft-shown', 'No draft in this tab');
    await three.locator('#draft').fill('the third tab’s');
    await three.locator('#draft-save').click();
    await shows(three, '#draft-shown', 'Kept: the third tab’s');
    await two.locator('#draft-read').click();
    await shows(two, '#draft-shown', 'No draft in this tab');
    await one.locator('#draft-read').click();
    await shows(one, '#draft-shown', 'Draft: kept by the first tab');
    // each tab sent its own id with its join
    const ids = await Promise.all(
      [one, two, three].map((page) => page.evaluate(() => sessionStorage.getItem('pushpage:tab'))),
    );
    expect(new Set(ids).size).toBe(3);
    expect(first.problems).toEqual([]);
    await Promise.all([two.close(), three.close()]);
  }, 60_000);
});
