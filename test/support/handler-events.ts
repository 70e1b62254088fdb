import type { Page } from 'playwright-core';

/**
 * Runs in the page before its scripts (an init script): keeps each element that an `error`,
 * `load`, `beginEvent` or `toggle` event reached, the events the handler of an image, a
 * frame, an SVG animation or an open `<details>` runs on.
 */
export function recordReached(): void {
  const reached = new WeakSet<EventTarget>();
  (window as unknown as { reached: WeakSet<EventTarget> }).reached = reached;
  for (const type of ['error', 'load', 'beginEvent', 'toggle']) {
    document.addEventListener(type, (event) => event.target && reached.add(event.target), true);
  }
}

/**
 * Waits until every image, frame, SVG animation and open `<details>` inside `container` had
 * its event: a handler on any of them had its chance to run. Needs {@link recordReached}.
 */
export async function waitUntilReached(page: Page, container: string): Promise<void> {
  await page.waitForFunction(
    (selector) =>
      [...document.querySelectorAll(selector)].every((element) =>
        (window as unknown as { reached: WeakSet<EventTarget> }).reached.has(element),
      ),
    `${container} :is(img[src], iframe, animate, details[open])`,
  );
}
