import { demoInBrowser, screenshot } from '../support/browser';

const UNCLICKED = 'Hello! (click me)';

describe('hello (browser)', () => {
  const demo = demoInBrowser();

  it('counts the clicks of the element clicked, and of no other', async () => {
    const tab = await demo().open('/hello');
    const { page } = tab;

    const hellos = page.getByText(UNCLICKED, { exact: true });
    expect(await hellos.count()).toBe(10);
    const ids = await hellos.evaluateAll((els) => els.map((el) => el.id));
    expect(new Set(ids).size).toBe(10);
    expect(ids.every((id) => id.length > 0)).toBe(true);

    // Two clicks in a row, without waiting between them.
    const third = page.locator(`[id="${ids[2]}"]`);
    await third.click();
    await third.click();
    await page.waitForFunction(
      (id) => document.getElementById(id)?.textContent === 'Hello! I was clicked 2 times',
      ids[2],
      { timeout: 5000 },
    );

    const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
    expect(texts).toEqual(
      ids.map((_, i) => (i === 2 ? 'Hello! I was clicked 2 times' : UNCLICKED)),
    );

    await screenshot(page, 'hello');
    expect(tab.problems).toEqual([]);
  }, 30_000);
});
