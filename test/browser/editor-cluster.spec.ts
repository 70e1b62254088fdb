import { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { clusterInBrowser } from '../support/cluster-browser';
import { documentOf } from '../support/collab-doc';
import { startReplica } from '../support/replicas';

const CONTENT = '.q-editor__content';

function visibleText(page: Page): Promise<string> {
  return page.locator(CONTENT).innerText();
}

/** Waits until every tab holds the same document with nothing unacknowledged; returns it. */
async function converged(pages: Page[], timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: { text: string; pending: number }[] = [];
  while (Date.now() < deadline) {
    last = await Promise.all(pages.map(documentOf));
    if (last.every((d) => d.pending === 0 && d.text === last[0].text)) return last[0].text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the tabs did not converge: ${JSON.stringify(last)}`);
}

async function typeSlowly(page: Page, text: string): Promise<void> {
  for (const ch of text) {
    await page.keyboard.type(ch);
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
  }
}

function repeat(alphabet: string, length: number): string {
  return Array.from({ length }, (_, i) => alphabet[i % alphabet.length]).join('');
}

describe('the collaborative editor on two replicas (browser)', () => {
  const cluster = clusterInBrowser(2);
  const pages: Page[] = [];

  async function open(replica: number): Promise<Page> {
    const tab = await cluster().open(replica, '/editor');
    await tab.page.locator(CONTENT).waitFor();
    expect(tab.problems).toEqual([]);
    pages.push(tab.page);
    return tab.page;
  }

  it('keeps every character of two tabs typing at once in different places', async () => {
    const [a, b] = [await open(0), await open(1)];
    await a.locator(CONTENT).click();
    await a.keyboard.type('TOP');
    await a.keyboard.press('Enter');
    await a.keyboard.type('BOTTOM');
    await b.locator(CONTENT, { hasText: 'BOTTOM' }).waitFor();
    // A types at the end of the first line, B at the end of the document, interleaved.
    await a.keyboard.press('Control+Home');
    await a.keyboard.press('End');
    await b.locator(CONTENT).click();
    await b.keyboard.press('Control+End');
    const fromA = repeat('abcdefghij', 200);
    const fromB = repeat('0123456789', 200);
    await Promise.all([typeSlowly(a, fromA), typeSlowly(b, fromB)]);

    const html = await converged([a, b]);
    expect(html).toContain(`TOP${fromA}`);
    expect(html).toContain(`BOTTOM${fromB}`);
    for (const page of [a, b]) {
      const text = await visibleText(page);
      expect(text).toContain(`TOP${fromA}`);
      expect(text).toContain(`BOTTOM${fromB}`);
    }
    await screenshot(a, 'editor-cluster-concurrent-replica-1');
    await screenshot(b, 'editor-cluster-concurrent-replica-2');
  }, 90_000);

  it('shows a tab that joins late the whole document', async () => {
    const expected = await converged([pages[0]]);
    const late = await open(1);
    expect((await documentOf(late)).text).toBe(expected);
    expect(await visibleText(late)).toContain('BOTTOM0123456789');
  }, 30_000);

  it('loses nothing acknowledged, nor anything typed, when a replica restarts', async () => {
    const [a, b] = pages;
    const { replicas, storeEnv } = cluster();
    const port = replicas[0].port;
    await replicas[0].stop();
    // A's socket is down: what it types waits in the tab; B's edits are stored meanwhile.
    await a.locator(CONTENT).click();
    await a.keyboard.press('Control+End');
    await a.keyboard.type(' offline-typing');
    await b.locator(CONTENT).click();
    await b.keyboard.press('Control+Home');
    await b.keyboard.type('while-one-is-down ');
    expect((await documentOf(a)).pending).toBeGreaterThan(0);
    // the tab says plainly that it is offline, and recovers by itself
    await a.locator('.pushpage-offline').waitFor();
    await screenshot(a, 'editor-cluster-offline');
    replicas[0] = await startReplica(storeEnv, port);
    await a.locator('.pushpage-offline').waitFor({ state: 'detached', timeout: 15_000 });

    const html = await converged([a, b], 20_000);
    expect(html).toContain('offline-typing');
    expect(html).toContain('while-one-is-down');
    const fresh = await open(0);
    expect((await documentOf(fresh)).text).toBe(html);
    await screenshot(fresh, 'editor-cluster-after-restart');
  }, 60_000);
});
