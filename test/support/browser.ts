import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page, WebSocket } from 'playwright-core';
import { DemoApp } from './demo-app';

/** Debian's Chromium, which the browser tests drive. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags every browser test launches Chromium with. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (gitignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-results', 'screenshots');

/** A headless Chromium (playwright gives it a fresh temporary profile). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\``,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 20_000,
  });
}

/** Writes a full-page screenshot to `test-results/screenshots/<name>.png`; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`"${name}" is not a plain file name`);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Finite animations are fast-forwarded to their end, so the picture shows the settled page.
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** One browser tab with its own context (own cookies, so its own Pushpage session). */
export interface Tab {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, uncaught page errors, failed and 4xx/5xx requests, in order. */
  readonly problems: string[];
  /** How many times the runtime's `join` was acknowledged with `ok: true`. */
  joins(): number;
  /** The `event` messages this tab sent so far, as JSON text. */
  readonly sentEvents: string[];
  /** The acknowledgements of this tab's `event` messages so far, as JSON text. */
  readonly eventAcks: string[];
  /** The patches pushed to this tab so far (`patch` messages), as JSON text. */
  readonly patches: string[];
  /** Waits until `count` events in all have been acknowledged. */
  waitForEventAcks(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function payloadText(payload: string | Buffer): string {
  return typeof payload === 'string' ? payload : payload.toString('utf8');
}

/**
 * Socket.IO frames on the default namespace: `42<id>["join",{…}]` is an emit with an
 * acknowledgement id, `43<id>[{"ok":true,…}]` its acknowledgement, `42["patch",{…}]` a
 * message the server pushed. Reports each emit, each acknowledgement and each push with the
 * name of the message and its body as JSON text.
 */
function watchAcks(
  ws: WebSocket,
  onSent: (name: string, body: string) => void,
  onAck: (name: string, body: string) => void,
  onPushed: (name: string, body: string) => void,
): void {
  const names = new Map<string, string>();
  ws.on('framesent', ({ payload }) => {
    const match = /^42(\d+)\["([^"]+)",(.*)\]$/s.exec(payloadText(payload));
    if (!match) return;
    names.set(match[1], match[2]);
    onSent(match[2], match[3]);
  });
  ws.on('framereceived', ({ payload }) => {
    const pushed = /^42\["([^"]+)",(.*)\]$/s.exec(payloadText(payload));
    if (pushed) onPushed(pushed[1], pushed[2]);
    const match = /^43(\d+)\[(.*)\]$/s.exec(payloadText(payload));
    const name = match ? names.get(match[1]) : undefined;
    if (!match || name === undefined) return;
    names.delete(match[1]);
    onAck(name, match[2]);
  });
}

/**
 * Opens `url` in a new context and waits until the page is rendered and its socket has
 * joined the page, so pushes from now on reach it. `initScript` runs in the page before its
 * own scripts.
 */
export async function openTab(
  browser: Browser,
  url: string,
  timeoutMs = 10_000,
  initScript?: () => void,
): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  try {
    if (initScript) await context.addInitScript(initScript);
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (req) => {
      // A socket cut short by closing the tab is not a problem of the page.
      if (!req.url().includes('/socket.io/'))
        problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });

    let joinCount = 0;
    let joined: () => void = () => undefined;
    const firstJoin = new Promise<void>((resolve) => (joined = resolve));
    const sentEvents: string[] = [];
    const eventAcks: string[] = [];
    const patches: string[] = [];
    page.on('websocket', (ws) =>
      watchAcks(
        ws,
        (name, body) => {
          if (name === 'event') sentEvents.push(body);
        },
        (name, body) => {
          if (name === 'event') eventAcks.push(body);
          if (name === 'join' && body.startsWith('{"ok":true')) {
            joinCount++;
            joined();
          }
        },
        (name, body) => {
          if (name === 'patch') patches.push(body);
        },
      ),
    );

    const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    if (!response || response.status() !== 200) {
      throw new Error(`GET ${url}: HTTP ${response?.status() ?? 'no response'}`);
    }
    await page.locator('#pushpage-app > *').first().waitFor({ timeout: timeoutMs });
    const usesSocket = await page.evaluate(() => {
      const state = document.getElementById('pushpage-state')?.textContent ?? '{}';
      return (
        (JSON.parse(state) as { config?: { websockets?: boolean } }).config?.websockets !== false
      );
    });
    if (!usesSocket) joined();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `${url}: the page's socket did not join within ${timeoutMs} ms; problems: ${
                problems.join('; ') || 'none'
              }`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([firstJoin, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return {
      context,
      page,
      problems,
      joins: () => joinCount,
      sentEvents,
      eventAcks,
      patches,
      waitForEventAcks: async (count, ms = timeoutMs) => {
        const deadline = Date.now() + ms;
        while (eventAcks.length < count) {
          if (Date.now() > deadline) {
            throw new Error(
              `${url}: ${eventAcks.length} of ${count} events acknowledged after ${ms} ms`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      close: () => context.close(),
    };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

/** Runs every cleanup even when some fail; rethrows the first failure afterwards. */
export async function closeAll(...closers: (() => Promise<unknown> | undefined)[]): Promise<void> {
  let first: unknown;
  for (const close of closers) {
    try {
      await close();
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw first;
}

/**
 * Polls `read` (every `intervalMs`) until `done(seen)` is true or `timeoutMs` passes, keeping
 * each value that differs from the one before; returns the values seen.
 */
export async function collectChanges<T>(
  read: () => Promise<T>,
  done: (seen: T[]) => boolean,
  timeoutMs: number,
  intervalMs = 50,
): Promise<T[]> {
  const seen: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (seen.length === 0 || JSON.stringify(seen[seen.length - 1]) !== JSON.stringify(value)) {
      seen.push(value);
    }
    if (done(seen)) return seen;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms; values seen: ${JSON.stringify(seen.slice(-10))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The demo in this process and a browser, for one test file; tabs close after it. */
export interface DemoInBrowser {
  app: DemoApp;
  browser: Browser;
  /** Opens `path` of the demo in a new tab with a session of its own. */
  open(path: string): Promise<Tab>;
}

/**
 * Starts the demo (with `env` besides the test settings) and Chromium before the file's
 * tests and closes everything after them; call the returned function inside a test.
 */
export function demoInBrowser(env: Record<string, string> = {}): () => DemoInBrowser {
  let app: DemoApp | undefined;
  let browser: Browser | undefined;
  const tabs: Tab[] = [];
  beforeAll(async () => {
    app = await DemoApp.start(env);
    browser = await launchBrowser();
  }, 30_000);
  afterAll(async () => {
    await closeAll(
      ...tabs.map((t) => () => t.close()),
      () => browser?.close(),
      () => app?.stop(),
    );
  }, 30_000);
  return () => {
    const [readyApp, readyBrowser] = [app, browser];
    if (!readyApp || !readyBrowser)
      throw new Error('setup failed: the demo or the browser did not start');
    return {
      app: readyApp,
      browser: readyBrowser,
      open: async (path) => {
        const tab = await openTab(readyBrowser, `${readyApp.url}${path}`);
        tabs.push(tab);
        return tab;
      },
    };
  };
}
