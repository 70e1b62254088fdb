import { demoInBrowser, screenshot } from '../support/browser';

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

    await page.mouse.move(0, 0);
    await screenshot(page, 'quasar-order');
    expect(tab.problems).toEqual([]);
    expect(tab.eventAcks.every((ack) => ack.startsWith('{"ok":true'))).toBe(true);
  }, 30_000);
});
