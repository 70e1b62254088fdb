import { screenshot, Tab } from '../support/browser';
import { clusterInBrowser } from '../support/cluster-browser';

/** Marks the document, so a reload (which would drop the mark) can be told apart. */
async function markDocument(tab: Tab): Promise<void> {
  await tab.page.evaluate(() => ((window as unknown as { kept: boolean }).kept = true));
}

async function documentKept(tab: Tab): Promise<boolean> {
  return tab.page.evaluate(() => (window as unknown as { kept?: boolean }).kept === true);
}

describe('routes with parameters, forms and bindings (browser, two replicas)', () => {
  const cluster = clusterInBrowser(2);

  it('greets the name in the path, as text however hostile', async () => {
    const ada = await cluster().open(0, '/greet/Ada');
    await ada.page.locator('#greeting', { hasText: 'Hello, Ada!' }).waitFor();
    const hostile = '<img src=x onerror="window.hacked=1">';
    const tab = await cluster().open(1, `/greet/${encodeURIComponent(hostile)}`);
    const greeting = tab.page.locator('#greeting');
    await greeting.waitFor();
    expect(await greeting.innerText()).toBe(`Hello, ${hostile}!`);
    expect(await greeting.locator('img').count()).toBe(0);
    expect(await tab.page.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();
    expect(await tab.page.title()).toBe(`Hello, ${hostile}!`);
    for (const t of [ada, tab]) expect(t.problems).toEqual([]);
  }, 30_000);

  it('goes to the next name when a handler navigates the tab, on either replica', async () => {
    const ada = await cluster().open(0, '/greet/Ada');
    await ada.page.locator('#greeting', { hasText: 'Hello, Ada!' }).waitFor();
    await markDocument(ada);
    await ada.page.locator('#greet-next', { hasText: 'Greet Grace' }).click();
    await ada.page.waitForURL(/\/greet\/Grace$/);
    await ada.page.locator('#greeting', { hasText: 'Hello, Grace!' }).waitFor();
    expect(await ada.page.title()).toBe('Hello, Grace!');
    expect(await documentKept(ada)).toBe(false); // a new page was loaded

    // the last name leads back to the first; a tab on the other replica
    const margaret = await cluster().open(1, '/greet/Margaret');
    await margaret.page.locator('#greet-next', { hasText: 'Greet Ada' }).click();
    await margaret.page.waitForURL(/\/greet\/Ada$/);
    await margaret.page.locator('#greeting', { hasText: 'Hello, Ada!' }).waitFor();
    for (const t of [ada, margaret]) expect(t.problems).toEqual([]);
  }, 30_000);

  it('keeps bound text in step both ways across replicas, with no handler but a reset', async () => {
    const one = await cluster().open(0, '/bind');
    const two = await cluster().open(1, '/bind');
    const heading = `Bound ${Date.now()}`;
    await one.page.locator('#field').fill(heading);
    await two.page.locator('#heading', { hasText: heading }).waitFor({ timeout: 3000 });
    await one.page.locator('#heading', { hasText: heading }).waitFor({ timeout: 3000 });
    // the other field bound to the heading follows, in the typing tab too
    for (const t of [one, two])
      await t.page.waitForFunction(
        (text) => (document.querySelector('#mirror') as HTMLInputElement).value === text,
        heading,
        { timeout: 3000 },
      );
    // the server changes the heading: both fields follow in every tab, on both replicas
    await two.page.locator('#reset').click();
    for (const t of [one, two])
      for (const id of ['#field', '#mirror'])
        await t.page.waitForFunction(
          (selector) =>
            (document.querySelector(selector) as HTMLInputElement).value === 'Type below',
          id,
          { timeout: 3000 },
        );

    // a checkbox bound to the note's visibility: its checked state, not its value, travels
    expect(await two.page.locator('#note').isVisible()).toBe(false);
    await one.page.locator('#show-note').check();
    await two.page.locator('#note').waitFor({ state: 'visible', timeout: 3000 });
    await expect(two.page.locator('#show-note').isChecked()).resolves.toBe(true);
    await two.page.locator('#show-note').uncheck();
    await one.page.locator('#note').waitFor({ state: 'hidden', timeout: 3000 });
    await screenshot(two.page, 'forms-bind-replica-2');
    for (const t of [one, two]) expect(t.problems).toEqual([]);
  }, 30_000);

  it('echoes the typed name and delivers the form’s values on submit, without a reload', async () => {
    const tab = await cluster().open(0, '/form');
    await markDocument(tab);
    const page = tab.page;
    await page.locator('#name').fill('Ada');
    await page.locator('#echo', { hasText: 'Ada' }).waitFor({ timeout: 3000 });

    await page.locator('#submit').click();
    await page.locator('#errors li', { hasText: 'Please accept the terms.' }).waitFor();
    expect(await page.locator('#errors li').allInnerTexts()).toEqual([
      'Please give an e-mail address.',
      'Please choose a plan.',
      'Please accept the terms.',
    ]);

    await page.locator('#email').fill('ada@example.org');
    await page.locator('#plan-team').check();
    await page.locator('#terms').check(); // the checked state reaches the handler
    await page.locator('#email').press('Enter'); // Enter in a field submits too
    await page.locator('#result', { hasText: 'Thanks, Ada: you are signed up.' }).waitFor();
    expect(await page.locator('#errors li').count()).toBe(0);
    expect(await documentKept(tab)).toBe(true);
    await screenshot(page, 'forms-sign-up');
    expect(tab.problems).toEqual([]);
  }, 30_000);
});
