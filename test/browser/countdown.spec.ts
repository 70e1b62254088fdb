import { Page } from 'playwright-core';
import { demoInBrowser, screenshot } from '../support/browser';

/** What the page showed after one batch of DOM changes. */
interface CountState {
  /** text of the count div (`3`, …, `Boom!`), or null before it exists */
  text: string | null;
  classes: string[];
  buttonVisible: boolean;
  at: number;
}

interface Recording {
  states: CountState[];
  /** `animationName:text` of every CSS animation that started */
  animations: string[];
}

/**
 * Records, inside the page, every state the count goes through (a MutationObserver sees
 * each patch however short-lived) and every animation that starts.
 */
function startRecording(page: Page): Promise<void> {
  return page.evaluate(() => {
    const recording: Recording = { states: [], animations: [] };
    (window as unknown as { recording: Recording }).recording = recording;
    const countDiv = () =>
      [...document.querySelectorAll<HTMLElement>('#pushpage-app div')].find(
        (d) => d.children.length === 0 && /^(\d+|Boom!)$/.test(d.textContent ?? ''),
      );
    const record = () => {
      const div = countDiv();
      const button = [...document.querySelectorAll('button')].find((b) =>
        (b.textContent ?? '').includes('Start Countdown'),
      );
      const state: CountState = {
        text: div?.textContent ?? null,
        classes: div ? [...div.classList] : [],
        buttonVisible: !!button && getComputedStyle(button).display !== 'none',
        at: performance.now(),
      };
      const last = recording.states[recording.states.length - 1];
      if (
        !last ||
        last.text !== state.text ||
        last.buttonVisible !== state.buttonVisible ||
        last.classes.join(' ') !== state.classes.join(' ')
      )
        recording.states.push(state);
    };
    record();
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    document.addEventListener(
      'animationstart',
      (e) => recording.animations.push(`${e.animationName}:${(e.target as Element).textContent}`),
      true,
    );
  });
}

function recording(page: Page): Promise<Recording> {
  return page.evaluate(() => (window as unknown as { recording: Recording }).recording);
}

describe('countdown (browser)', () => {
  const demo = demoInBrowser();

  it('counts 3, 2, 1, Boom! with animations, hiding the button meanwhile', async () => {
    const tab = await demo().open('/countdown?num=3');
    const { page } = tab;
    const button = page.locator('button', { hasText: 'Start Countdown' });
    expect(await button.isVisible()).toBe(true);

    await startRecording(page);
    await button.click();
    await page.getByText('2', { exact: true }).waitFor({ timeout: 3000 });
    expect(await button.isVisible()).toBe(false);
    await screenshot(page, 'countdown-running');
    await page.waitForFunction(
      () =>
        (window as unknown as { recording: Recording }).recording.states.some(
          (s) => s.text === 'Boom!',
        ),
      undefined,
      { timeout: 5000 },
    );
    await button.waitFor({ state: 'visible', timeout: 1000 });
    await screenshot(page, 'countdown-boom');

    const { states, animations } = await recording(page);
    const shown = states.filter((s) => s.text !== null);
    const texts = shown.map((s) => s.text).filter((t, i, all) => i === 0 || all[i - 1] !== t);
    expect(texts).toEqual(['3', '2', '1', 'Boom!']);

    // Before the click: no count, the button shown.
    expect(states[0]).toMatchObject({ text: null, buttonVisible: true });
    // During the count: the button hidden, the div flipping.
    for (const s of shown.filter((s) => s.text !== 'Boom!')) {
      expect(s.buttonVisible).toBe(false);
      expect(s.classes).toEqual(
        expect.arrayContaining(['animate__animated', 'animate__flip', 'animate__faster']),
      );
    }
    // At the end: the button back, the div zooming in, with its new colours.
    const boom = shown[shown.length - 1];
    expect(boom.text).toBe('Boom!');
    expect(boom.buttonVisible).toBe(true);
    expect(boom.classes).toEqual(
      expect.arrayContaining(['animate__animated', 'animate__zoomIn', 'text-red-500', 'bg-white']),
    );
    expect(boom.classes).not.toContain('animate__flip');
    expect(boom.classes).not.toContain('bg-blue-500');

    // About a second per number.
    const firstAt = (text: string) => shown.find((s) => s.text === text)?.at ?? NaN;
    const steps = ['3', '2', '1', 'Boom!'].map(firstAt);
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i] - steps[i - 1]).toBeGreaterThan(700);
      expect(steps[i] - steps[i - 1]).toBeLessThan(2000);
    }

    // Each number replays the animation; Boom! plays zoomIn.
    for (const n of ['3', '2', '1']) expect(animations).toContain(`flip:${n}`);
    expect(animations).toContain('zoomIn:Boom!');

    expect(tab.problems).toEqual([]);
    expect(await page.locator('.pushpage-error').count()).toBe(0);
  }, 30_000);
});
