/**
 * Any event in Chromium, on two replicas and Redis: a tab on replica 1 double-clicks, presses
 * ctrl+k, right-clicks and drags an item into a box on the `/events` playground; a tab on
 * replica 2 sees each of the server's answers. The keydown carries exactly the event
 * properties its handler asked for.
 */
import { Page } from 'playwright-core';
import { Tab } from '../support/browser';
import { clusterInBrowser } from '../support/cluster-browser';

jest.setTimeout(60_000);

const cluster = clusterInBrowser(2);

function textOf(page: Page, selector: string): Promise<string> {
  return page.locator(selector).innerText();
}

/** Waits until the element's text is `text`, and answers it. */
async function seeText(tab: Tab, selector: string, text: string | RegExp): Promise<void> {
  const wanted = typeof text === 'string' ? text : text.source;
  await tab.page.waitForFunction(
    ([sel, want, isPattern]) => {
      const got = document.querySelector(sel)?.textContent?.trim() ?? '';
      return isPattern ? new RegExp(want).test(got) : got === want;
    },
    [selector, wanted, typeof text !== 'string'] as const,
    { timeout: 10_000 },
  );
}

describe('any event, on two replicas', () => {
  let actor: Tab;
  let watcher: Tab;

  beforeAll(async () => {
    const { open } = cluster();
    actor = await open(0, '/events');
    watcher = await open(1, '/events');
    for (const tab of [actor, watcher]) await tab.page.locator('#dblclick-target').waitFor();
  });

  afterAll(() => {
    expect(actor.problems).toEqual([]);
    expect(watcher.problems).toEqual([]);
  });

  it('a double-click on replica 1 is answered on replica 2', async () => {
    await actor.page.locator('#dblclick-target').dblclick();
    await seeText(watcher, '#double-click-answer', 'double-clicked once');
    expect(await textOf(actor.page, '#double-click-answer')).toBe('double-clicked once');
  });

  it('ctrl+k sends the key and its modifiers, and nothing it was not asked for', async () => {
    await actor.page.locator('#key-target').click();
    await actor.page.keyboard.press('Control+k');
    await seeText(watcher, '#keys-answer', 'ctrl+k pressed');
    const keydowns = actor.sentEvents
      .map((text) => JSON.parse(text) as { type: string; event?: Record<string, unknown> })
      .filter((event) => event.type === 'keydown');
    expect(keydowns.at(-1)?.event).toEqual({
      key: 'k',
      ctrlKey: true,
      altKey: false,
      shiftKey: false,
      metaKey: false,
    });
  });

  it('a right-click sends its coordinates, and the browser shows no menu of its own', async () => {
    const prevented = actor.page.evaluate(
      () =>
        new Promise<boolean>((resolve) =>
          window.addEventListener('contextmenu', (e) => resolve(e.defaultPrevented), {
            once: true,
          }),
        ),
    );
    await actor.page.locator('#menu-target').click({ button: 'right', position: { x: 10, y: 5 } });
    await seeText(
      watcher,
      '#context-menu-answer',
      /^right-click at 10, 5 in the target \(\d+, \d+ in the window\)$/,
    );
    expect(await prevented).toBe(true);
  });

  it('an item dropped into the box on replica 1 is in the box on replica 2', async () => {
    await actor.page.dragAndDrop('#item-apple', '#drop-box');
    await seeText(watcher, '#drag-and-drop-answer', 'Apple dropped into the box');
    await watcher.page.locator('#drop-box #item-apple').waitFor({ timeout: 10_000 });
    expect(await watcher.page.locator('#drop-shelf #item-apple').count()).toBe(0);
    await actor.page.locator('#drop-box #item-apple').waitFor({ timeout: 10_000 });

    // and back: the shelf takes drops too
    await watcher.page.dragAndDrop('#item-apple', '#drop-shelf');
    await seeText(actor, '#drag-and-drop-answer', 'Apple dropped into the shelf');
    await actor.page.locator('#drop-shelf #item-apple').waitFor({ timeout: 10_000 });
  });
});
