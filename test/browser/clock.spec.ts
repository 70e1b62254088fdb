import { formatClock } from '../../apps/demo/pages/clock.page';
import { collectChanges, demoInBrowser, screenshot, Tab } from '../support/browser';

/** `Sat, 21 Nov 2026, 10:15:03` */
const CLOCK_FORMAT =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}$/;

/** The clock span: the one span on the page whose text is the time (or still loading). */
function clockText(tab: Tab): Promise<string> {
  return tab.page.locator('#pushpage-app span').first().innerText();
}

/** The clock texts of the few seconds around now, as the server formats them. */
function recentClockTexts(secondsBack: number): string[] {
  const now = Date.now();
  return Array.from({ length: secondsBack + 2 }, (_, i) =>
    formatClock(new Date(now + 1000 - i * 1000)),
  );
}

describe('clock (browser)', () => {
  const demo = demoInBrowser();

  it('shows the server time, ticking every second, the same in two tabs', async () => {
    const a = await demo().open('/clock');

    // The first value plus at least two changes within ~3.5 s.
    const seen = await collectChanges(
      () => clockText(a),
      (values) => values.filter((v) => CLOCK_FORMAT.test(v)).length >= 3,
      3500,
    );
    const times = seen.filter((v) => CLOCK_FORMAT.test(v));
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(new Set(times).size).toBe(times.length);
    // Only `Loading...` may come before the first time.
    expect(seen.filter((v) => !CLOCK_FORMAT.test(v)).every((v) => v === 'Loading...')).toBe(true);
    // It is the time now (this process runs the server, so the time zone is the same).
    expect(recentClockTexts(3)).toContain(times[times.length - 1]);

    const b = await demo().open('/clock');
    // Both tabs show the same text; at most a tick apart while a push is on its way.
    await collectChanges(
      async () => [await clockText(a), await clockText(b)],
      (values) => {
        const [textA, textB] = values[values.length - 1];
        return CLOCK_FORMAT.test(textA) && textA === textB;
      },
      1500,
    );
    // And they keep agreeing after the next tick.
    const before = await clockText(a);
    await collectChanges(
      async () => [await clockText(a), await clockText(b)],
      (values) => {
        const [textA, textB] = values[values.length - 1];
        return textA !== before && textA === textB;
      },
      2500,
    );

    await screenshot(a.page, 'clock');
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    expect(await a.page.locator('.pushpage-error, .pushpage-offline').count()).toBe(0);
  }, 30_000);
});
