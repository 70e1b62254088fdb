import { Page } from 'playwright-core';
import { demoInBrowser, screenshot } from '../support/browser';
import { boardOverRest } from '../support/demo-app';

const WELCOME = 'Welcome to the simple message board!';

/** The texts of the messages on the board, top to bottom. */
function messages(page: Page): Promise<string[]> {
  return page.locator('#pushpage-app pre').allInnerTexts();
}

describe('message board (browser)', () => {
  const demo = demoInBrowser();

  it('pushes a message sent in one tab to another tab within a second', async () => {
    const a = await demo().open('/message-board');
    const b = await demo().open('/message-board');

    for (const tab of [a, b]) {
      await tab.page.getByText('Simple Message Board', { exact: true }).waitFor();
      expect(await messages(tab.page)).toEqual([WELCOME]);
    }
    // Separate contexts: separate sessions, so separate pages around the shared board.
    const [cookieA] = await a.context.cookies();
    const [cookieB] = await b.context.cookies();
    expect(cookieA?.value).toBeTruthy();
    expect(cookieA?.value).not.toBe(cookieB?.value);

    const text = `hi A ${Date.now() % 10_000}`;
    const textarea = a.page.getByPlaceholder('Enter message here');
    await textarea.click();
    // Filled, then Send at once: inside the textarea's 500 ms debounce, so the runtime must
    // send the pending text with the click (checked below: the click is the only event).
    await textarea.fill(text);
    await a.page.locator('button', { hasText: 'Send' }).click();
    await b.page.locator('pre', { hasText: text }).waitFor({ timeout: 10_000 });

    // Newest first, above the welcome, in both tabs.
    expect(await messages(b.page)).toEqual([text, WELCOME]);
    await a.page.locator('pre', { hasText: text }).waitFor({ timeout: 10_000 });
    expect(await messages(a.page)).toEqual([text, WELCOME]);

    await a.waitForEventAcks(1, 10_000);
    expect(a.eventAcks[0]).toMatch(/^\{"ok":true/);
    // Nothing went out while typing: the click carried the text.
    expect(a.sentEvents).toHaveLength(1);
    const click = JSON.parse(a.sentEvents[0]) as {
      type: string;
      values?: { id: string; value: string }[];
    };
    expect(click.type).toBe('click');
    expect(click.values?.map((v) => v.value)).toEqual([text]);

    // The sender's textarea is emptied by the handler.
    await a.page.waitForFunction(
      () => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value === '',
      undefined,
      { timeout: 2000 },
    );

    // A second message from B goes on top in A.
    const reply = `reply from B ${Date.now()}`;
    await b.page.getByPlaceholder('Enter message here').fill(reply);
    await b.page.locator('button', { hasText: 'Send' }).click();
    await a.page.locator('pre', { hasText: reply }).waitFor({ timeout: 1000 });
    expect(await messages(a.page)).toEqual([reply, text, WELCOME]);
    await b.page.locator('pre', { hasText: reply }).waitFor({ timeout: 1000 });
    expect(await messages(b.page)).toEqual([reply, text, WELCOME]);

    await screenshot(a.page, 'message-board-tab-a');
    await screenshot(b.page, 'message-board-tab-b');
    for (const tab of [a, b]) {
      expect(tab.problems).toEqual([]);
      expect(await tab.page.locator('.pushpage-error, .pushpage-offline').count()).toBe(0);
    }
  }, 30_000);

  it('does not post an empty message', async () => {
    const c = await demo().open('/message-board');
    const before = await messages(c.page);
    expect(before[before.length - 1]).toBe(WELCOME);
    await c.page.locator('button', { hasText: 'Send' }).click();
    // Patches of an event go out before its acknowledgement: once acknowledged, it is over.
    await c.waitForEventAcks(1, 5000);
    expect(c.eventAcks[0]).toMatch(/^\{"ok":true/);
    expect(await messages(c.page)).toEqual(before);
    expect(c.problems).toEqual([]);
  }, 30_000);
});

describe('a message board longer than the snapshot window (browser)', () => {
  // a window of 3, so that a handful of messages makes the board long
  const demo = demoInBrowser({ PUSHPAGE_SNAPSHOT_WINDOW: '3' });

  it('shows the window and "Show N more", pages through the rest, and takes new messages on top', async () => {
    const { post } = await boardOverRest(demo().app.url);
    for (let i = 1; i <= 7; i++) expect((await post(`message ${i}`)).status).toBe(200);
    const newestFirst = [7, 6, 5, 4, 3, 2, 1].map((i) => `message ${i}`);

    const a = await demo().open('/message-board');
    const more = a.page.locator('#pushpage-app .pushpage-more');
    expect(await messages(a.page)).toEqual(newestFirst.slice(0, 3));
    expect(await more.innerText()).toBe('Show 3 more');

    await more.click();
    await a.page.locator('pre', { hasText: 'message 2' }).waitFor();
    expect(await messages(a.page)).toEqual(newestFirst.slice(0, 6));
    expect(await more.innerText()).toBe('Show 2 more');

    await more.click();
    await a.page.locator('pre', { hasText: WELCOME }).waitFor();
    expect(await messages(a.page)).toEqual([...newestFirst, WELCOME]);
    expect(await more.count()).toBe(0);

    // a message from another tab, which holds only the window, still appears at the top
    const b = await demo().open('/message-board');
    expect(await messages(b.page)).toEqual(newestFirst.slice(0, 3));
    const text = `from B ${Date.now() % 10_000}`;
    await b.page.getByPlaceholder('Enter message here').fill(text);
    await b.page.locator('button', { hasText: 'Send' }).click();
    await a.page.locator('pre', { hasText: text }).waitFor({ timeout: 10_000 });
    expect(await messages(a.page)).toEqual([text, ...newestFirst, WELCOME]);
    await b.page.locator('pre', { hasText: text }).waitFor({ timeout: 10_000 });
    expect(await messages(b.page)).toEqual([text, ...newestFirst.slice(0, 3)]);
    expect(await b.page.locator('#pushpage-app .pushpage-more').innerText()).toBe('Show 3 more');

    await screenshot(b.page, 'message-board-window');
    for (const tab of [a, b]) {
      expect(tab.problems).toEqual([]);
      expect(await tab.page.locator('.pushpage-error, .pushpage-offline').count()).toBe(0);
    }
  }, 30_000);
});
