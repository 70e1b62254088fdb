/**
 * Any event in Chromium, on two replicas and Redis: a tab on replica 1 double-clicks, presses
 * ctrl+k, right-clicks, moves the mouse across a throttled target and drags an item into a
 * box on the `/events` playground; a tab on replica 2 sees each of the server's answers. The
 * keydown carries exactly the event properties its handler asked for; the mousemoves reach
 * the server far less often than they fire, the last one included.
 */
import { Page } from 'playwright-core';
import type { BootState } from '../../libs/pushpage/src/protocol';
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

  it('a mouse moved across a throttled target sends few events, the last position last', async () => {
    const page = actor.page;
    // the throttle the page's binding set, as the tab got it
    const throttle = await page.evaluate(() => {
      const state = JSON.parse(
        document.getElementById('pushpage-state')?.textContent ?? '{}',
      ) as BootState;
      const node = state.snapshot.nodes.find(
        (n) => n.p.attrs && (n.p.attrs as { id?: string }).id === 'mouse-target',
      );
      return node?.r?.mousemove;
    });
    if (throttle === undefined) throw new Error('the mouse tracker sets no throttle');
    expect(throttle).toBe(200);

    const target = page.locator('#mouse-target');
    await target.scrollIntoViewIfNeeded();
    const box = await target.boundingBox();
    if (!box) throw new Error('the mouse tracker is not shown');
    // what fires in the tab: how many mousemoves, over how long, and where the last one was
    await page.evaluate(() => {
      const seen = { firings: 0, first: 0, last: 0, x: 0, y: 0 };
      Object.assign(window, { mouseSeen: seen });
      document.getElementById('mouse-target')?.addEventListener('mousemove', (e) => {
        if (seen.firings++ === 0) seen.first = e.timeStamp;
        seen.last = e.timeStamp;
        seen.x = Math.round(e.offsetX);
        seen.y = Math.round(e.offsetY);
      });
    });
    const sentBefore = actor.sentEvents.length;

    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + 4, y);
    await page.mouse.move(box.x + box.width - 4, y - 7, { steps: 80 });
    const seen = await page.evaluate(
      () =>
        (
          window as unknown as {
            mouseSeen: { firings: number; first: number; last: number; x: number; y: number };
          }
        ).mouseSeen,
    );
    expect(seen.firings).toBeGreaterThanOrEqual(40);

    // both tabs end on the last position, on either replica
    const final = new RegExp(`^mouse at ${seen.x}, ${seen.y} \\((\\d+) events? heard\\)$`);
    await seeText(watcher, '#mouse-tracker-answer', final);
    await seeText(actor, '#mouse-tracker-answer', final);
    const heard = Number(final.exec(await textOf(page, '#mouse-tracker-answer'))?.[1]);

    const moves = actor.sentEvents
      .slice(sentBefore)
      .map((text) => JSON.parse(text) as { type: string; eventId: string })
      .filter((event) => event.type === 'mousemove');
    // one event a throttle at most, the first and the last of the burst included
    const most = Math.floor((seen.last - seen.first) / throttle) + 3;
    expect(new Set(moves.map((event) => event.eventId)).size).toBeLessThanOrEqual(most);
    expect(heard).toBeLessThanOrEqual(most);
    // and none was turned away for its rate
    expect(actor.eventAcks.filter((ack) => ack.includes('rate-limited'))).toEqual([]);
  });

  it('an item dropped into the box on replica 1 is in the box on replica 2', async () => {
    await actor.page.dragAndDrop('#item-apple', '#drop-box');
    await seeText(watcher, '#drag-and-drop-answer', 'Apple dropped into the box');
    // the handler notifies the tab that dropped it
    await actor.page
      .locator('.pushpage-notice-toast', { hasText: 'Apple is in the box now' })
      .waitFor({ timeout: 10_000 });
    await watcher.page.locator('#drop-box #item-apple').waitFor({ timeout: 10_000 });
    expect(await watcher.page.locator('#drop-shelf #item-apple').count()).toBe(0);
    await actor.page.locator('#drop-box #item-apple').waitFor({ timeout: 10_000 });

    // and back: the shelf takes drops too
    await watcher.page.dragAndDrop('#item-apple', '#drop-shelf');
    await seeText(actor, '#drag-and-drop-answer', 'Apple dropped into the shelf');
    await actor.page.locator('#drop-shelf #item-apple').waitFor({ timeout: 10_000 });
  });
});
