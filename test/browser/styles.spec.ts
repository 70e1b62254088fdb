import { demoInBrowser, screenshot } from '../support/browser';

const TRANSPARENT = ['transparent', 'rgba(0, 0, 0, 0)'];

describe('styles from the vendored assets (browser)', () => {
  const demo = demoInBrowser();

  it('applies Tailwind classes and loads the Font Awesome font', async () => {
    const tab = await demo().open('/message-board');
    const { page } = tab;

    // Tailwind (the browser build) turns `bg-red-100 border-l-4 p-4 text-3xl` into CSS.
    const heading = page.getByText('Simple Message Board', { exact: true });
    await page.waitForFunction(
      (el) => el !== null && getComputedStyle(el).paddingTop !== '0px',
      await heading.elementHandle(),
      { timeout: 5000 },
    );
    const style = await heading.evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        background: s.backgroundColor,
        borderLeftWidth: s.borderLeftWidth,
        padding: s.paddingTop,
        fontSize: s.fontSize,
      };
    });
    expect(TRANSPARENT).not.toContain(style.background);
    expect(style.borderLeftWidth).toBe('4px');
    expect(style.padding).toBe('16px');
    expect(style.fontSize).toBe('30px');

    // Font Awesome: the icon has a glyph of its own font, so it takes room.
    const icon = page.locator('i.fa-paper-plane');
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const box = await icon.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(0);
    expect(box?.height ?? 0).toBeGreaterThan(0);
    const glyph = await icon.evaluate((el) => {
      const before = getComputedStyle(el, '::before');
      return { content: before.content, font: getComputedStyle(el).fontFamily };
    });
    expect(glyph.content).not.toBe('none');
    expect(glyph.font).toMatch(/Font Awesome/);
    const loadedFonts = await page.evaluate(() =>
      [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family),
    );
    expect(loadedFonts.some((family) => /Font Awesome/.test(family))).toBe(true);

    // animate.css is there too: its keyframes are known to the page.
    const keyframes = await page.evaluate(() =>
      [...document.styleSheets].some((sheet) => {
        try {
          return [...sheet.cssRules].some(
            (r) => r instanceof CSSKeyframesRule && r.name === 'flip',
          );
        } catch {
          return false;
        }
      }),
    );
    expect(keyframes).toBe(true);

    await screenshot(page, 'styles-message-board');
    expect(tab.problems).toEqual([]);
  }, 30_000);
});
