import { readFile } from 'node:fs/promises';
import { Page } from 'playwright-core';
import { clusterInBrowser } from '../support/cluster-browser';

/** The runtime's own dialog (alert, confirm, prompt) over the page. */
function dialog(page: Page) {
  return page.locator('.pushpage-dialog');
}

/** Whether the element with this id is wholly inside the viewport. */
function inView(page: Page, id: string): Promise<boolean> {
  return page.evaluate((elementId) => {
    const rect = document.getElementById(elementId)?.getBoundingClientRect();
    return rect !== undefined && rect.top >= 0 && rect.bottom <= window.innerHeight;
  }, id);
}

/** Records in `window.toastTexts` the first line of every toast the page shows from now on. */
function recordToasts(page: Page): Promise<void> {
  return page.evaluate(() => {
    const texts: string[] = [];
    (window as unknown as { toastTexts: string[] }).toastTexts = texts;
    new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node instanceof HTMLElement && node.matches('.pushpage-notice-toast'))
            texts.push(node.firstElementChild?.textContent ?? '');
          else if (node instanceof HTMLElement)
            for (const toast of node.querySelectorAll('.pushpage-notice-toast'))
              texts.push(toast.firstElementChild?.textContent ?? '');
    }).observe(document.body, { childList: true, subtree: true });
  });
}

describe('client actions on two replicas behind one Redis (browser)', () => {
  const cluster = clusterInBrowser(2);

  it('shows a notification a handler on replica 1 sends every tab of the page, on replica 2 too', async () => {
    const a = await cluster().open(0, '/actions');
    const b = await cluster().open(1, '/actions');
    await recordToasts(b.page);
    await a.page.locator('#notify-all').click();
    await b.page
      .locator('.pushpage-notice-toast', { hasText: 'Hello, every tab of this page' })
      .waitFor({ timeout: 3000 });
    await a.page
      .locator('.pushpage-notice-toast', { hasText: 'Hello, every tab of this page' })
      .waitFor({ timeout: 3000 });

    // a notification for the tab that was clicked reaches that tab only, where it asked to be
    await a.page.locator('#notify').click();
    const saved = a.page.locator('.pushpage-notices-top-right .pushpage-notice-toast', {
      hasText: 'Saved',
    });
    await saved.waitFor();
    const box = await saved.boundingBox();
    const viewport = a.page.viewportSize();
    expect(box && viewport && box.y < viewport.height / 2 && box.x > viewport.width / 2).toBe(true);
    // every tab's notifications arrive in order: once b has the next one, "Saved" never came
    await a.page.locator('#notify-all').click();
    await b.page.waitForFunction(
      () => (window as unknown as { toastTexts: string[] }).toastTexts.length >= 2,
    );
    expect(
      await b.page.evaluate(() => (window as unknown as { toastTexts: string[] }).toastTexts),
    ).toEqual(['Hello, every tab of this page', 'Hello, every tab of this page']);
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

  it('copies text to the clipboard of the tab that clicked', async () => {
    const a = await cluster().open(1, '/actions');
    await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: cluster().replicas[1].url,
    });
    await a.page.evaluate(() => navigator.clipboard.writeText('before the click'));
    await a.page.locator('#copy').click();
    await a.page.waitForFunction(
      async () => (await navigator.clipboard.readText()) === 'Copied by a Pushpage handler',
      undefined,
      { polling: 50 },
    );
    expect(a.problems).toEqual([]);
  }, 30_000);

  it('downloads a file whose content the handler sent', async () => {
    const a = await cluster().open(0, '/actions');
    const [download] = await Promise.all([
      a.page.waitForEvent('download'),
      a.page.locator('#download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('pushpage.txt');
    const path = await download.path();
    expect(await readFile(path, 'utf8')).toMatch(
      /^Made by a handler at \d{4}-\d\d-\d\dT[\d:.]+Z\n$/,
    );
    expect(a.problems).toEqual([]);
  }, 30_000);

  it('shows an alert with OK only, in the tab that clicked', async () => {
    const a = await cluster().open(0, '/actions');
    await a.page.locator('#alert').click();
    const shown = dialog(a.page);
    await shown
      .locator('.pushpage-dialog-title', { hasText: 'A message from a handler' })
      .waitFor();
    expect(await shown.locator('.pushpage-dialog-message').innerText()).toBe(
      'Only this tab sees this dialog.',
    );
    expect(await shown.locator('button').allInnerTexts()).toEqual(['OK']);
    await shown.locator('.pushpage-dialog-ok').click();
    await shown.waitFor({ state: 'detached' });
    expect(a.problems).toEqual([]);
  }, 30_000);

  it('gives the handler the answer to a confirm: OK, then Cancel', async () => {
    const a = await cluster().open(0, '/actions');
    const b = await cluster().open(1, '/actions');
    const answer = (tab: typeof a, text: string) =>
      tab.page.locator('#answer', { hasText: text }).waitFor();

    await a.page.locator('#confirm').click();
    await dialog(a.page)
      .locator('.pushpage-dialog-message', { hasText: 'Are you sure?' })
      .waitFor();
    await a.page.locator('.pushpage-dialog-ok').click();
    // the handler writes the answer to the page, which every tab shows
    await answer(a, 'You said yes');
    await answer(b, 'You said yes');

    await a.page.locator('#confirm').click();
    await a.page.locator('.pushpage-dialog-cancel').click();
    await answer(b, 'You said no');
    await answer(a, 'You said no');
    // the question went to the tab that clicked only
    expect(await dialog(b.page).count()).toBe(0);
    expect(await dialog(a.page).count()).toBe(0);
    for (const t of [a, b]) expect(t.problems).toEqual([]);
  }, 30_000);

  it('gives the handler the text typed into a prompt, or null for Cancel', async () => {
    const a = await cluster().open(1, '/actions');
    await a.page.locator('#prompt').click();
    const input = dialog(a.page).locator('.pushpage-dialog-input');
    await input.waitFor();
    expect(await input.inputValue()).toBe('Ada'); // the value the handler suggested
    const typed = `<b>Grace</b> ${Date.now()}`;
    await input.fill(typed);
    await input.press('Enter');
    const answer = a.page.locator('#answer');
    await a.page.locator('#answer', { hasText: `Hello, ${typed}!` }).waitFor();
    expect(await answer.locator('b').count()).toBe(0); // text, not HTML

    await a.page.locator('#prompt').click();
    await a.page.locator('.pushpage-dialog-cancel').click();
    await a.page.locator('#answer', { hasText: 'You did not say' }).waitFor();
    expect(a.problems).toEqual([]);
  }, 30_000);

  it('focuses a field and scrolls a component into view', async () => {
    const a = await cluster().open(0, '/actions');
    await a.page.locator('#focus').click();
    await a.page.waitForFunction(() => document.activeElement?.id === 'field');

    expect(await inView(a.page, 'bottom')).toBe(false);
    await a.page.locator('#scroll').click();
    await a.page.waitForFunction(() => {
      const rect = document.getElementById('bottom')?.getBoundingClientRect();
      return rect !== undefined && rect.top >= 0 && rect.bottom <= window.innerHeight;
    });
    expect(await inView(a.page, 'bottom')).toBe(true);
    expect(a.problems).toEqual([]);
  }, 30_000);

  it('keeps a title set by an action until the page’s own title changes or the tab reloads', async () => {
    const a = await cluster().open(0, '/actions');
    const b = await cluster().open(1, '/actions');
    const titled = (tab: typeof a, title: string) =>
      tab.page.waitForFunction((t) => document.title === t, title);
    expect(await b.page.title()).toBe('Client actions');

    // msg.tabs.setTitle: every tab of the page, on both replicas
    await a.page.locator('#title-all').click();
    await titled(a, 'Every tab titled by a handler');
    await titled(b, 'Every tab titled by a handler');

    // the page's title prop changes: it wins on every tab
    await a.page.locator('#rename').click();
    await a.page.waitForFunction(() => document.title.startsWith('Client actions, renamed'));
    const renamed = await a.page.title();
    await titled(b, renamed);

    // msg.client.setTitle holds while other parts of the page change...
    await b.page.locator('#title').click();
    await b.page.waitForFunction(() => document.title.startsWith('Title set by a handler'));
    const transient = await b.page.title();
    const typed = `Title test ${Date.now()}`;
    await a.page.locator('#prompt').click();
    await a.page.locator('.pushpage-dialog-input').fill(typed);
    await a.page.locator('.pushpage-dialog-ok').click();
    await b.page.locator('#answer', { hasText: `Hello, ${typed}!` }).waitFor();
    expect(await b.page.title()).toBe(transient);

    // ...and is gone after a reload, where the page's title is shown
    await b.page.reload();
    await b.page.locator('#pushpage-app > *').first().waitFor();
    expect(await b.page.title()).toBe(renamed);
    expect(await a.page.title()).toBe(renamed);
    for (const t of [a, b]) expect(t.problems).toEqual([]);
  }, 30_000);

  it('keeps a title set over HTTP while later answers bring the page again', async () => {
    const a = await cluster().open(0, '/actions/http');
    await a.page.locator('#title').click();
    await a.page.waitForFunction(() => document.title === 'Titled by the answer to an HTTP event');
    // each answer brings the whole page again, with its unchanged title prop
    await a.page.locator('#notify').click();
    await a.page
      .locator('.pushpage-notice-toast', { hasText: 'Sent in the answer to an HTTP event' })
      .waitFor(); // shown after the page the answer brought
    expect(await a.page.title()).toBe('Titled by the answer to an HTTP event');
    await a.page.reload();
    await a.page.locator('#pushpage-app > *').first().waitFor();
    expect(await a.page.title()).toBe('Client actions over HTTP');
    expect(a.problems).toEqual([]);
  }, 30_000);

  it('refuses a question over HTTP, and the handler says why', async () => {
    const a = await cluster().open(1, '/actions/http');
    await a.page.locator('#confirm').click();
    await a.page
      .locator('#answer', { hasText: "Refused: confirm needs the tab's websocket to answer" })
      .waitFor({ timeout: 5000 });
    expect(await dialog(a.page).count()).toBe(0);
    expect(a.problems).toEqual([]);
  }, 30_000);
});
