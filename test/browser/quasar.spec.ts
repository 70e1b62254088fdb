import { Page } from 'playwright-core';
import { demoInBrowser, screenshot, Tab } from '../support/browser';
import { clusterInBrowser } from '../support/cluster-browser';
import { waitFor } from '../support/ports';

describe('Quasar components (browser)', () => {
  const demo = demoInBrowser();

  it('keeps every Quasar control in sync with the server, which prices the order', async () => {
    const tab = await demo().open('/quasar');
    const { page } = tab;
    const total = page.locator('.q-badge');
    await total.filter({ hasText: '€11.00' }).waitFor();
    // Quasar's own styles and icon font are loaded, served by the app
    expect(await page.locator('.q-card').evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe(
      'none',
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    expect(await page.evaluate(() => document.fonts.check('24px "Material Icons"'))).toBe(true);

    await page.locator('.q-toggle').click();
    await total.filter({ hasText: '€12.50' }).waitFor();

    await page.locator('.q-select').click();
    await page.locator('.q-menu .q-item', { hasText: 'Large' }).click();
    await total.filter({ hasText: '€15.50' }).waitFor();

    await page.locator('.q-slider [tabindex], .q-slider[tabindex]').first().focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await total.filter({ hasText: '€46.50' }).waitFor();

    await page.getByLabel('Your name').fill('Ada');
    await page.locator('.q-btn', { hasText: 'Order' }).click();
    const chip = page.locator('.q-chip');
    await chip.waitFor();
    expect(await chip.innerText()).toContain('Ada: 3 × large + cheese, €46.50');
    // the handler's notification has the look of Quasar's own on a Quasar page
    const notice = page.locator('.pushpage-notice-toast.q-notification', {
      hasText: 'Order 1 placed',
    });
    await notice.waitFor();
    expect(await notice.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      await page.evaluate(() => {
        const probe = document.body.appendChild(document.createElement('div'));
        probe.className = 'bg-positive';
        const colour = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return colour;
      }),
    );

    await page.mouse.move(0, 0);
    await screenshot(page, 'quasar-order');
    expect(tab.problems).toEqual([]);
    expect(tab.eventAcks.every((ack) => ack.startsWith('{"ok":true'))).toBe(true);
  }, 30_000);
});

/** The radio or checkbox of a tab with this label, and whether Quasar shows it ticked. */
function choice(page: Page, kind: 'q-radio' | 'q-checkbox', label: string) {
  return page.locator(`.${kind}`, { hasText: label });
}

/** An op of a patch pushed to a tab: `['put', id, prop, path, value]` and the like. */
type PushedOp = [string, string, ...unknown[]];

/** The ops of the patches pushed to a tab since it had `from` of them, on the `rows` prop. */
function rowOps(tab: Tab, from: number): PushedOp[] {
  return tab.patches
    .slice(from)
    .flatMap((body) => (JSON.parse(body) as { o: PushedOp[] }).o)
    .filter((op) => op[2] === 'rows');
}

async function ticked(page: Page, kind: 'q-radio' | 'q-checkbox', label: string, on: boolean) {
  await page
    .locator(`.${kind}[aria-checked="${String(on)}"]`, { hasText: label })
    .waitFor({ timeout: 5000 });
}

describe('Quasar checkbox, radios and table on two replicas behind one Redis (browser)', () => {
  const cluster = clusterInBrowser(2);

  it('shows a tab on replica 2 what the server made of a box ticked and a radio chosen on replica 1', async () => {
    const one = await cluster().open(0, '/quasar/shared');
    const two = await cluster().open(1, '/quasar/shared');
    const summary = (tab: Tab) => tab.page.locator('#order-summary');
    for (const tab of [one, two])
      await summary(tab).filter({ hasText: '1 × medium, classic crust: €11.00' }).waitFor();
    await ticked(two.page, 'q-radio', 'Classic', true);
    await ticked(two.page, 'q-checkbox', 'Extra napkins', false);

    await choice(one.page, 'q-checkbox', 'Extra napkins').click();
    await summary(two)
      .filter({ hasText: '1 × medium, classic crust, extra napkins: €11.00' })
      .waitFor({ timeout: 5000 });
    await ticked(two.page, 'q-checkbox', 'Extra napkins', true);

    // one radio chosen: the server moves the whole group, and prices the crust
    await choice(one.page, 'q-radio', 'Stuffed').click();
    await two.page.locator('.q-badge', { hasText: '€13.00' }).waitFor({ timeout: 5000 });
    await summary(two)
      .filter({ hasText: '1 × medium, stuffed crust, extra napkins: €13.00' })
      .waitFor();
    await ticked(two.page, 'q-radio', 'Stuffed', true);
    await ticked(two.page, 'q-radio', 'Classic', false);

    // and back from replica 2
    await choice(two.page, 'q-radio', 'Thin').click();
    await choice(two.page, 'q-checkbox', 'Extra napkins').click();
    await summary(one)
      .filter({ hasText: '1 × medium, thin crust: €11.00' })
      .waitFor({ timeout: 5000 });
    await ticked(one.page, 'q-radio', 'Thin', true);
    await ticked(one.page, 'q-radio', 'Stuffed', false);
    await ticked(one.page, 'q-checkbox', 'Extra napkins', false);
    await screenshot(two.page, 'quasar-shared-choices');
    for (const tab of [one, two]) {
      expect(tab.problems).toEqual([]);
      expect(tab.eventAcks.every((ack) => ack.startsWith('{"ok":true'))).toBe(true);
    }
  }, 60_000);

  it('reports a row clicked on replica 2 on both, and sums the rows ticked there', async () => {
    const one = await cluster().open(0, '/quasar/shared');
    const two = await cluster().open(1, '/quasar/shared');
    const who = `Grace ${Date.now()}`;
    await one.page.getByLabel('Your name').fill(who);
    const total = await one.page.locator('.q-badge').innerText();
    await one.page.locator('.q-btn', { hasText: 'Order' }).click();
    const row = two.page.locator('.q-table tbody tr', { hasText: who });
    await row.waitFor({ timeout: 5000 });
    const id = await row.locator('td').nth(1).innerText();
    const pizza = await row.locator('td').nth(3).innerText();
    expect(await row.locator('td').nth(4).innerText()).toBe(total);

    await row.locator('td', { hasText: who }).click();
    const shown = `Order ${id}: ${who}, ${pizza}, ${total}`;
    for (const tab of [two, one])
      await tab.page.locator('#order-shown', { hasText: shown }).waitFor({ timeout: 5000 });

    // ticking the row selects it on the server: every tab shows it ticked, and the sum
    await row.locator('.q-checkbox').click();
    const picked = `1 order selected (${id}): ${total}`;
    for (const tab of [one, two])
      await tab.page.locator('#orders-selected', { hasText: picked }).waitFor({ timeout: 5000 });
    await one.page
      .locator('.q-table tbody tr.selected', { hasText: who })
      .locator('.q-checkbox[aria-checked="true"]')
      .waitFor({ timeout: 5000 });
    await row.locator('.q-checkbox').click();
    await one.page
      .locator('#orders-selected', { hasText: 'No order selected.' })
      .waitFor({ timeout: 5000 });
    await screenshot(one.page, 'quasar-shared-orders');
    for (const tab of [one, two]) {
      expect(tab.problems).toEqual([]);
      expect(tab.eventAcks.every((ack) => ack.startsWith('{"ok":true'))).toBe(true);
    }
  }, 60_000);

  it('adds an order on both replicas and delivers it on replica 2 with patches of that row alone', async () => {
    const one = await cluster().open(0, '/quasar/shared');
    const two = await cluster().open(1, '/quasar/shared');
    const stamp = Date.now();
    const [first, second] = [`Hedy ${stamp}`, `Alan ${stamp}`];
    const row = (tab: Tab, who: string) => tab.page.locator('.q-table tbody tr', { hasText: who });
    const status = (tab: Tab, who: string) => row(tab, who).locator('td').nth(5);

    for (const who of [first, second]) {
      const from = two.patches.length;
      await one.page.getByLabel('Your name').fill(who);
      await one.page.locator('.q-btn', { hasText: 'Order' }).click();
      for (const tab of [one, two]) await row(tab, who).waitFor({ timeout: 5000 });
      expect(await status(two, who).innerText()).toBe('placed');
      // replica 2's tab got the new row pushed onto the rows it had, not the table again
      await waitFor('the order pushed to replica 2', () => rowOps(two, from).length > 0, 5000);
      const ops = rowOps(two, from);
      expect(ops).toHaveLength(1);
      expect(ops[0].slice(0, 4)).toEqual(['push', ops[0][1], 'rows', []]);
      expect(ops[0][4]).toEqual([expect.objectContaining({ who, status: 'placed' })]);
    }

    // the first order ticked on replica 2, delivered from replica 1
    const id = await row(two, first).locator('td').nth(1).innerText();
    await row(two, first).locator('.q-checkbox').click();
    await one.page
      .locator('#orders-selected', { hasText: `1 order selected (${id})` })
      .waitFor({ timeout: 5000 });
    const from = two.patches.length;
    await one.page.locator('.q-btn', { hasText: 'Deliver selected' }).click();
    await status(two, first).filter({ hasText: 'delivered' }).waitFor({ timeout: 5000 });
    await status(one, first).filter({ hasText: 'delivered' }).waitFor({ timeout: 5000 });
    // only that row changed on screen: the put went to its index in the tab's rows
    expect(await status(two, second).innerText()).toBe('placed');
    expect(await two.page.locator('.q-table tbody td', { hasText: /^delivered$/ }).count()).toBe(1);
    for (const tab of [one, two])
      await tab.page
        .locator('#orders-selected', { hasText: 'No order selected.' })
        .waitFor({ timeout: 5000 });

    // and the socket carried that row alone, put at its index
    const ops = rowOps(two, from);
    expect(ops).toHaveLength(1);
    const [kind, , , path, value] = ops[0];
    expect(kind).toBe('put');
    expect(path).toEqual([expect.any(Number)]);
    expect(value).toEqual(
      expect.objectContaining({ id: Number(id), who: first, status: 'delivered' }),
    );
    const delivery = two.patches.slice(from).join('');
    expect(delivery).not.toContain(second);

    await screenshot(two.page, 'quasar-shared-delivered');
    for (const tab of [one, two]) {
      expect(tab.problems).toEqual([]);
      expect(tab.eventAcks.every((ack) => ack.startsWith('{"ok":true'))).toBe(true);
    }
  }, 60_000);
});
