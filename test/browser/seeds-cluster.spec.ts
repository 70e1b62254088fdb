import { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { formatClock } from '../../apps/demo/pages/clock.page';
import { collectChanges, screenshot, Tab } from '../support/browser';
import { STORE_BACKENDS } from '../support/store-backends';
import { clusterInBrowser } from '../support/cluster-browser';

/** `Sat, 21 Nov 2026, 13:55:02` */
const CLOCK_FORMAT =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}:\d{2}$/;
const WELCOME = 'Welcome to the simple message board!';
const UNCLICKED = 'Hello! (click me)';
const TRANSPARENT = ['transparent', 'rgba(0, 0, 0, 0)'];
/** The pages the demo index links to: every seed, and the Quasar form. */
const SEED_PATHS = [
  '/clock',
  '/message-board',
  '/countdown',
  '/hello',
  '/dashboard',
  '/editor',
  '/quasar',
];

/** The clock texts of the few seconds around now, as the server formats them. */
function recentClockTexts(secondsBack: number): string[] {
  const now = Date.now();
  return Array.from({ length: secondsBack + 3 }, (_, i) =>
    formatClock(new Date(now + 2000 - i * 1000)),
  );
}

function messages(page: Page): Promise<string[]> {
  return page.locator('#pushpage-app pre').allInnerTexts();
}

async function send(tab: Tab, text: string): Promise<void> {
  await tab.page.getByPlaceholder('Enter message here').fill(text);
  await tab.page.locator('button', { hasText: 'Send' }).click();
}

/** The id of the page the tab shows, from the state the shell embeds. */
function pageIdOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const state = document.getElementById('pushpage-state')?.textContent ?? '{}';
    return (JSON.parse(state) as { snapshot?: { pageId?: string } }).snapshot?.pageId ?? '';
  });
}

/** Every Font Awesome icon on the page has its glyph: its own font, loaded, taking room. */
async function expectIconsRendered(page: Page, atLeast: number): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const icons = await page.locator('#pushpage-app i').evaluateAll((els) =>
    els.map((el) => {
      const box = el.getBoundingClientRect();
      return {
        classes: el.className,
        width: box.width,
        height: box.height,
        glyph: getComputedStyle(el, '::before').content,
        font: getComputedStyle(el).fontFamily,
      };
    }),
  );
  expect(icons.length).toBeGreaterThanOrEqual(atLeast);
  for (const icon of icons) {
    expect(icon).toEqual(expect.objectContaining({ font: expect.stringMatching(/Font Awesome/) }));
    expect(icon.glyph).not.toBe('none');
    expect(icon.width).toBeGreaterThan(0);
    expect(icon.height).toBeGreaterThan(0);
  }
  const loaded = await page.evaluate(() =>
    [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family),
  );
  expect(loaded.some((family) => /Font Awesome/.test(family))).toBe(true);
}

/** The background colour of the first element `selector` matches, once Tailwind styled it. */
async function styledBackground(page: Page, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  await element.waitFor();
  await page.waitForFunction(
    ([sel, transparent]) => {
      const el = document.querySelector(sel);
      return el !== null && !transparent.includes(getComputedStyle(el).backgroundColor);
    },
    [selector, TRANSPARENT] as const,
    { timeout: 5000 },
  );
  return element.evaluate((el) => getComputedStyle(el).backgroundColor);
}

/**
 * `browser`, except that the pages of the contexts it makes report every WebSocket they open
 * to `sockets` (from before their first navigation on).
 */
function recordingSockets(browser: Browser, sockets: string[]): Browser {
  return new Proxy(browser, {
    get(target, key) {
      if (key === 'newContext') {
        return async (options?: BrowserContextOptions) => {
          const context = await target.newContext(options);
          context.on('page', (page) => page.on('websocket', (ws) => sockets.push(ws.url())));
          return context;
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** What the count showed after one batch of DOM changes. */
interface CountState {
  text: string | null;
  classes: string[];
  buttonVisible: boolean;
}

interface CountRecording {
  states: CountState[];
  /** `animationName:text` of every CSS animation that started */
  animations: string[];
}

/** Records, inside the page, every state of the count and every animation that starts. */
function recordCount(page: Page): Promise<void> {
  return page.evaluate(() => {
    const recording: CountRecording = { states: [], animations: [] };
    (window as unknown as { recording: CountRecording }).recording = recording;
    const record = () => {
      const div = [...document.querySelectorAll<HTMLElement>('#pushpage-app div')].find(
        (d) => d.children.length === 0 && /^(\d+|Boom!)$/.test(d.textContent ?? ''),
      );
      const button = [...document.querySelectorAll('button')].find((b) =>
        (b.textContent ?? '').includes('Start Countdown'),
      );
      const state: CountState = {
        text: div?.textContent ?? null,
        classes: div ? [...div.classList] : [],
        buttonVisible: !!button && getComputedStyle(button).display !== 'none',
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

/** Clicks Start Countdown and waits for Boom! with the button back; returns what was seen. */
async function runCountdown(tab: Tab, timeoutMs: number): Promise<CountRecording> {
  const { page } = tab;
  const button = page.locator('button', { hasText: 'Start Countdown' });
  await button.waitFor({ state: 'visible' });
  await recordCount(page);
  await button.click();
  await page.waitForFunction(
    () =>
      (window as unknown as { recording: CountRecording }).recording.states.some(
        (s) => s.text === 'Boom!' && s.buttonVisible,
      ),
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
  // Boom! zooms in (the animation starts on the frame after the patch).
  await page
    .waitForFunction(
      () =>
        (window as unknown as { recording: CountRecording }).recording.animations.includes(
          'zoomIn:Boom!',
        ),
      undefined,
      { timeout: 5000, polling: 100 },
    )
    .catch(() => undefined);
  return page.evaluate(() => (window as unknown as { recording: CountRecording }).recording);
}

/** Checks one full count from `from` down to Boom!, animated with `animation`. */
function expectCountdown(recording: CountRecording, from: number, animation: string): void {
  const shown = recording.states.filter((s) => s.text !== null);
  const texts = shown.map((s) => s.text).filter((t, i, all) => i === 0 || all[i - 1] !== t);
  const numbers = Array.from({ length: from }, (_, i) => String(from - i));
  expect(texts).toEqual([...numbers, 'Boom!']);
  // Before the click: no count, the button shown.
  expect(recording.states[0]).toMatchObject({ text: null, buttonVisible: true });
  for (const s of shown.filter((s) => s.text !== 'Boom!')) {
    expect(s.buttonVisible).toBe(false);
    expect(s.classes).toEqual(
      expect.arrayContaining([
        'animate__animated',
        `animate__${animation}`,
        'animate__faster',
        'bg-blue-500',
      ]),
    );
  }
  const boom = shown[shown.length - 1];
  expect(boom).toMatchObject({ text: 'Boom!', buttonVisible: true });
  expect(boom.classes).toEqual(
    expect.arrayContaining(['animate__animated', 'animate__zoomIn', 'text-red-500', 'bg-white']),
  );
  expect(boom.classes).not.toContain(`animate__${animation}`);
  // The animation actually played (animate.css is loaded), and zoomIn at the end.
  expect(recording.animations.some((a) => a.startsWith(`${animation}:`))).toBe(true);
  expect(recording.animations).toContain('zoomIn:Boom!');
}

describe.each(STORE_BACKENDS)(
  'the seed examples on two replicas behind %s (browser)',
  (_, backend) => {
    const cluster = clusterInBrowser(2, backend);

    /** Opens `path` on replica 1 or 2 in a tab of its own (own session). */
    function open(replica: 1 | 2, path: string, via?: Browser): Promise<Tab> {
      return cluster().open(replica - 1, path, via);
    }

    function replicaUrl(replica: 1 | 2): string {
      return cluster().replicas[replica - 1].url;
    }

    it('/clock: tabs on both replicas show the same time, tick after tick', async () => {
      const a = await open(1, '/clock');
      const b = await open(2, '/clock');
      expect(await pageIdOf(a.page)).toBe(await pageIdOf(b.page));
      const clock = (tab: Tab) => tab.page.locator('#pushpage-app span').first().innerText();

      const agreedTimes = (values: string[][]) =>
        values.filter(([x, y]) => CLOCK_FORMAT.test(x) && x === y).map(([x]) => x);
      const seen = await collectChanges(
        async () => [await clock(a), await clock(b)],
        (values) => new Set(agreedTimes(values)).size >= 3,
        8000,
      );
      const agreed = [...new Set(agreedTimes(seen))];
      expect(agreed.length).toBeGreaterThanOrEqual(3);
      // Only `Loading...` may show before the first time, in either tab.
      expect(seen.flat().every((v) => CLOCK_FORMAT.test(v) || v === 'Loading...')).toBe(true);
      // The time now (the replicas run with this process's time zone), rising one tick at a time.
      expect(recentClockTexts(4)).toContain(agreed[agreed.length - 1]);
      const seconds = agreed.map((t) => Date.parse(t.replace(/^\w+, /, '').replace(',', '')));
      for (let i = 1; i < seconds.length; i++) expect(seconds[i]).toBeGreaterThan(seconds[i - 1]);

      expect(TRANSPARENT).not.toContain(await styledBackground(b.page, '#pushpage-app span'));
      expect(
        await b.page
          .locator('#pushpage-app span')
          .first()
          .evaluate((el) => {
            const s = getComputedStyle(el);
            return { fontSize: s.fontSize, font: s.fontFamily };
          }),
      ).toEqual({ fontSize: '48px', font: expect.stringMatching(/mono/i) });

      await screenshot(a.page, 'seeds-cluster-clock-replica-1');
      await screenshot(b.page, 'seeds-cluster-clock-replica-2');
      for (const tab of [a, b]) {
        expect(tab.problems).toEqual([]);
        expect(await tab.page.locator('.pushpage-error, .pushpage-offline').count()).toBe(0);
      }
    }, 30_000);

    it('/message-board: messages from either replica reach both, newest first', async () => {
      const a = await open(1, '/message-board');
      const b = await open(2, '/message-board');
      // One board for the cluster, with its welcome message once, inside a page per tab.
      expect(await pageIdOf(a.page)).not.toBe(await pageIdOf(b.page));
      expect(await messages(a.page)).toEqual([WELCOME]);
      expect(await messages(b.page)).toEqual([WELCOME]);

      const first = `from A on replica 1 ${Date.now()}`;
      await send(a, first);
      await b.page.locator('pre', { hasText: first }).waitFor({ timeout: 5000 });
      const second = `from B on replica 2 ${Date.now()}`;
      await send(b, second);
      await a.page.locator('pre', { hasText: second }).waitFor({ timeout: 5000 });
      const third = `again from A ${Date.now()}`;
      await send(a, third);
      await b.page.locator('pre', { hasText: third }).waitFor({ timeout: 5000 });
      await a.page.locator('pre', { hasText: third }).waitFor({ timeout: 5000 });

      const expected = [third, second, first, WELCOME];
      expect(await messages(a.page)).toEqual(expected);
      expect(await messages(b.page)).toEqual(expected);
      // A tab opened afterwards, on either replica, gets the whole board.
      const late = await open(2, '/message-board');
      expect(await messages(late.page)).toEqual(expected);

      // The senders' textareas were emptied by the handler.
      for (const tab of [a, b]) {
        await tab.page.waitForFunction(
          () => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value === '',
          undefined,
          { timeout: 5000 },
        );
      }
      // Each row: the comments icon, a time stamp, the text; the send button has its icon.
      const stamps = await b.page.locator('#pushpage-app p').allInnerTexts();
      expect(stamps).toHaveLength(4);
      for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(await b.page.locator('#pushpage-app i.fa-comments').count()).toBe(4);
      await expectIconsRendered(b.page, 5);
      expect(TRANSPARENT).not.toContain(await styledBackground(b.page, '#pushpage-app pre'));

      // The pointer off the Send buttons, so the pictures show them without hover colours.
      for (const tab of [a, b]) await tab.page.mouse.move(900, 650);
      await screenshot(a.page, 'seeds-cluster-message-board-replica-1');
      await screenshot(b.page, 'seeds-cluster-message-board-replica-2');
      for (const tab of [a, b, late]) {
        expect(tab.problems).toEqual([]);
        expect(await tab.page.locator('.pushpage-error, .pushpage-offline').count()).toBe(0);
      }
      for (const tab of [a, b]) {
        await tab.waitForEventAcks(tab.sentEvents.length, 5000);
        expect(tab.eventAcks.every((ack) => ack.startsWith('{"ok":true'))).toBe(true);
      }
    }, 30_000);

    it('/countdown: each tab counts down on its own, with its number and animation', async () => {
      // Three countdowns at once on replica 2, each in a page of its own.
      const [plain, five, bounce] = await Promise.all([
        open(2, '/countdown'),
        open(2, '/countdown?num=5'),
        open(2, '/countdown?animation=bounce'),
      ]);
      // A countdown tab on replica 1 that nobody clicks.
      const idle = await open(1, '/countdown');
      const [plainSeen, fiveSeen, bounceSeen] = await Promise.all([
        runCountdown(plain, 30_000),
        runCountdown(five, 30_000),
        (async () => {
          const running = runCountdown(bounce, 30_000);
          await bounce.page.getByText('8', { exact: true }).waitFor({ timeout: 10_000 });
          await screenshot(bounce.page, 'seeds-cluster-countdown-bounce-running');
          return running;
        })(),
      ]);
      expectCountdown(plainSeen, 10, 'flip');
      expectCountdown(fiveSeen, 5, 'flip');
      expectCountdown(bounceSeen, 10, 'bounce');

      // Per tab: the tab nobody clicked shows no count, and its button.
      expect(await idle.page.locator('button', { hasText: 'Start Countdown' }).isVisible()).toBe(
        true,
      );
      expect(await idle.page.getByText(/^(\d+|Boom!)$/).count()).toBe(0);
      expect(await idle.page.locator('#pushpage-app i').count()).toBe(0);

      // Boom! is styled: red on white, with the bomb icon.
      const boom = five.page.getByText('Boom!', { exact: true });
      expect(await boom.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        'rgb(255, 255, 255)',
      );
      expect(await five.page.locator('#pushpage-app i.fa-bomb').count()).toBe(1);
      await expectIconsRendered(five.page, 1);

      // The pointer off the button, so the pictures show it without its hover colours.
      for (const tab of [plain, five, bounce]) await tab.page.mouse.move(900, 650);
      await screenshot(plain.page, 'seeds-cluster-countdown-default-boom');
      await screenshot(five.page, 'seeds-cluster-countdown-num-5-boom');
      await screenshot(bounce.page, 'seeds-cluster-countdown-bounce-boom');
      for (const tab of [plain, five, bounce, idle]) {
        expect(tab.problems).toEqual([]);
        expect(await tab.page.locator('.pushpage-error, .pushpage-offline').count()).toBe(0);
      }
      for (const tab of [plain, five, bounce]) {
        await tab.waitForEventAcks(1, 5000);
        expect(tab.eventAcks).toHaveLength(1);
        expect(tab.eventAcks[0]).toMatch(/^\{"ok":true/);
      }
    }, 45_000);

    it('/hello: clicks go by HTTP on either replica, and no WebSocket opens', async () => {
      const { browser } = cluster();
      const sockets: string[] = [];
      const watched = recordingSockets(browser, sockets);
      const a = await open(1, '/hello', watched);
      const b = await open(2, '/hello', watched);
      const posts: string[] = [];
      for (const tab of [a, b]) {
        tab.page.on('response', (r) => {
          if (r.request().method() === 'POST' && r.url().includes('/api/pages/'))
            posts.push(`${r.status()} ${new URL(r.url()).port}`);
        });
      }

      const hellos = (tab: Tab) => tab.page.locator('#pushpage-app div.cursor-pointer');
      const texts = (tab: Tab) => hellos(tab).allInnerTexts();
      const clicked = (n: number) => `Hello! I was clicked ${n} times`;
      /** The ten texts, with `clicks` (index → count) clicked. */
      const expected = (clicks: Record<number, number>) =>
        Array.from({ length: 10 }, (_, i) => (clicks[i] ? clicked(clicks[i]) : UNCLICKED));
      const waitForTexts = (tab: Tab, want: string[]) =>
        collectChanges(
          () => texts(tab),
          (seen) => JSON.stringify(seen[seen.length - 1]) === JSON.stringify(want),
          5000,
        );
      for (const tab of [a, b]) expect(await texts(tab)).toEqual(expected({}));

      // Tab A (replica 1) clicks its third element twice, tab B (replica 2) its eighth once.
      await hellos(a).nth(2).click();
      await hellos(a).nth(2).click();
      await hellos(b).nth(7).click();
      await waitForTexts(a, expected({ 2: 2 }));
      await waitForTexts(b, expected({ 7: 1 }));

      // Tab A's next click is sent to replica 2 (as a load balancer without sticky sessions
      // would): the page lives in Redis, so replica 2 counts on from 2.
      const elsewhere = new URL(replicaUrl(2));
      const rerouted: string[] = [];
      await a.page.route('**/api/pages/*/events', async (route) => {
        const url = new URL(route.request().url());
        const host = url.host;
        url.host = elsewhere.host;
        // a load balancer keeps the Host the browser asked for; the page keeps its Origin,
        // which the replicas allow (clusterInBrowser lists every replica's origin)
        const headers = { ...route.request().headers(), host };
        const response = await route.fetch({ url: url.toString(), headers });
        rerouted.push(`${response.status()} ${new URL(response.url()).port}`);
        await route.fulfill({ response });
      });
      await hellos(a).nth(2).click();
      await waitForTexts(a, expected({ 2: 3 }));
      await a.page.unroute('**/api/pages/*/events');

      expect(await texts(a)).toEqual(expected({ 2: 3 }));
      expect(await texts(b)).toEqual(expected({ 7: 1 }));
      const [portA, portB] = [new URL(replicaUrl(1)).port, new URL(replicaUrl(2)).port];
      expect(rerouted).toEqual([`200 ${portB}`]);
      // As the pages see it: tab A posted to replica 1 three times, tab B to replica 2 once.
      expect(posts.sort()).toEqual(
        [`200 ${portA}`, `200 ${portA}`, `200 ${portA}`, `200 ${portB}`].sort(),
      );
      expect(sockets).toEqual([]);

      // The recording does see the WebSocket of a page that has one.
      const control = await open(2, '/clock', watched);
      expect(sockets).toHaveLength(1);
      expect(sockets[0]).toContain('/socket.io/');
      await control.close();

      expect(
        await hellos(b)
          .first()
          .evaluate((el) => getComputedStyle(el).fontSize),
      ).toBe('24px');
      // The pointer off the clicked elements, so the pictures show them without hover colours.
      for (const tab of [a, b]) await tab.page.mouse.move(900, 650);
      await screenshot(a.page, 'seeds-cluster-hello-replica-1');
      await screenshot(b.page, 'seeds-cluster-hello-replica-2');
      for (const tab of [a, b]) expect(tab.problems).toEqual([]);
    }, 30_000);

    it('/dashboard: tabs on both replicas poll the one counter, without a WebSocket', async () => {
      const { browser } = cluster();
      const sockets: string[] = [];
      const watched = recordingSockets(browser, sockets);
      const a = await open(1, '/dashboard', watched);
      const b = await open(2, '/dashboard', watched);
      // One page for the cluster.
      expect(await pageIdOf(a.page)).toBe(await pageIdOf(b.page));
      const counter = async (tab: Tab) =>
        Number(await tab.page.locator('#pushpage-app div.bg-blue-500').innerText());
      await b.page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

      // What tab A shows now, tab B (on the other replica) shows later, and then more.
      const fromA = await counter(a);
      expect(fromA).toBeGreaterThanOrEqual(500);
      const seenB = await collectChanges(
        () => counter(b),
        (values) => values.some((v) => v > fromA),
        9000,
        100,
      );
      // And tab A moves on past what tab B showed.
      const fromB = seenB[seenB.length - 1];
      const seenA = await collectChanges(
        () => counter(a),
        (values) => values.some((v) => v > fromB),
        9000,
        100,
      );
      // Polls only ever move the counter forward.
      for (const seen of [seenB, seenA]) {
        for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
      }
      // In place, not by reloading; and never over a WebSocket.
      expect(await b.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(
        42,
      );
      expect(sockets).toEqual([]);
      expect(
        await b.page
          .locator('#pushpage-app div.bg-blue-500')
          .evaluate((el) => getComputedStyle(el).fontSize),
      ).toBe('200px');
      expect(TRANSPARENT).not.toContain(
        await styledBackground(b.page, '#pushpage-app div.bg-blue-500'),
      );

      await screenshot(a.page, 'seeds-cluster-dashboard-replica-1');
      await screenshot(b.page, 'seeds-cluster-dashboard-replica-2');
      for (const tab of [a, b]) {
        expect(tab.problems).toEqual([]);
        expect(await tab.page.locator('.pushpage-error, .pushpage-offline').count()).toBe(0);
      }
    }, 30_000);

    it('/: the index on both replicas links to every seed, and the links work', async () => {
      for (const replica of [1, 2] as const) {
        const tab = await open(replica, '/');
        const { page } = tab;
        await page.getByRole('heading', { name: 'Pushpage demos' }).waitFor();
        const links = await page
          .locator('#pushpage-app a')
          .evaluateAll((els) =>
            els.map((el) => ({ href: el.getAttribute('href') ?? '', text: el.textContent ?? '' })),
          );
        const paths = links.map((l) => new URL(l.href, 'http://x').pathname);
        for (const path of SEED_PATHS) expect(paths).toContain(path);
        for (const link of links) expect(link.text.trim()).not.toBe('');

        // Every seed link answers with a page, on this replica.
        for (const { href } of links.filter((l) =>
          SEED_PATHS.includes(new URL(l.href, 'http://x').pathname),
        )) {
          const res = await tab.context.request.get(new URL(href, replicaUrl(replica)).toString());
          expect(`${href} ${res.status()}`).toBe(`${href} 200`);
          expect(await res.text()).toContain('id="pushpage-state"');
        }
        const cards = page.locator('#pushpage-app a');
        expect(TRANSPARENT).not.toContain(await styledBackground(page, '#pushpage-app a'));
        expect(await cards.first().evaluate((el) => getComputedStyle(el).borderRadius)).not.toBe(
          '0px',
        );
        await screenshot(page, `seeds-cluster-index-replica-${replica}`);

        // Following a link opens the seed.
        await page.locator('#pushpage-app a[href="/hello"]').click();
        await page.waitForURL(`${replicaUrl(replica)}/hello`);
        await page.getByText(UNCLICKED, { exact: true }).first().waitFor();
        expect(await page.getByText(UNCLICKED, { exact: true }).count()).toBe(10);
        expect(tab.problems).toEqual([]);
      }
    }, 30_000);
  },
);
