import { Page } from 'playwright-core';
import { clusterInBrowser } from '../support/cluster-browser';

function toasts(page: Page) {
  return page.locator('.pushpage-notice-toast');
}

describe('client actions on two replicas behind one Redis (browser)', () => {
  const cluster = clusterInBrowser(2);

  it('shows a notification a handler on replica 1 sends every tab of the page, on replica 2 too', async () => {
    const a = await cluster().open(0, '/actions');
    const b = await cluster().open(1, '/actions');
    await a.page.locator('#notify-all').click();
    await b.page
      .locator('.pushpage-notice-toast', { hasText: 'Hello, every tab of this page' })
      .waitFor({ timeout: 3000 });
    await a.page
      .locator('.pushpage-notice-toast', { hasText: 'Hello, every tab of this page' })
      .waitFor({ timeout: 3000 });

    // a notification for the tab that was clicked reaches that tab only
    await a.page.locator('#notify').click();
    await a.page.locator('.pushpage-notice-toast', { hasText: 'Saved' }).waitFor();
    await a.waitForEventAcks(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await toasts(b.page).allInnerTexts()).not.toContainEqual(
      expect.stringContaining('Saved'),
    );
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  }, 30_000);

  it('gives the handler what a function the app registered in the tab returns', async () => {
    const a = await cluster().open(1, '/actions');
    await a.page.locator('#ask').click();
    const size = await a.page.evaluate(() => `${window.innerWidth}×${window.innerHeight}`);
    await a.page
      .locator('#answer', { hasText: `The browser says its viewport is ${size}` })
      .waitFor({ timeout: 5000 });
    expect(a.problems).toEqual([]);
  }, 30_000);

  it('sets the title, dark mode and the address without loading the page', async () => {
    const a = await cluster().open(0, '/actions');
    await a.page.locator('#title').click();
    await a.page.waitForFunction(() => document.title.startsWith('Title set by a handler'));
    await a.page.locator('#dark').click();
    await a.page.waitForFunction(() => document.documentElement.classList.contains('dark'));
    const marker = await a.page.evaluate(
      () => ((window as unknown as { marker: number }).marker = 7),
    );
    await a.page.locator('#set-url').click();
    await a.page.waitForURL(/\/actions\?from=handler$/);
    expect(await a.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(
      marker,
    );
    expect(a.problems).toEqual([]);
  }, 30_000);

  it('navigates from a socket event', async () => {
    const a = await cluster().open(0, '/actions');
    await a.page.locator('#navigate').click();
    await a.page.waitForURL(/\/clock$/, { timeout: 5000 });
    await a.page.locator('#pushpage-app span').first().waitFor();
  }, 30_000);

  it('notifies and navigates from an event posted over HTTP (a page without websockets)', async () => {
    const a = await cluster().open(1, '/actions/http');
    await a.page.locator('#notify').click();
    await a.page
      .locator('.pushpage-notice-toast', { hasText: 'Sent in the answer to an HTTP event' })
      .waitFor({ timeout: 5000 });
    await a.page.locator('#navigate').click();
    await a.page.waitForURL(/\/clock$/, { timeout: 5000 });
  }, 30_000);
});
