import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { clusterInBrowser } from '../support/cluster-browser';
import { ONE_REDIS } from '../support/store-backends';

/** The directory both replicas keep uploads in (`PUSHPAGE_UPLOAD_DIR`): what is stored, seen. */
const uploads = mkdtempSync(join(tmpdir(), 'pp-upload-browser-'));
afterAll(() => rmSync(uploads, { recursive: true, force: true }));

/** The files stored: each as its key and `<key>.json`. */
function storedFiles(): string[] {
  return readdirSync(uploads).filter((name) => !name.endsWith('.json'));
}

async function choose(page: Page, name: string, bytes: number): Promise<void> {
  await page.locator('#upload input[type=file]').setInputFiles({
    name,
    mimeType: 'text/plain',
    buffer: Buffer.alloc(bytes, 'a'),
  });
}

async function shows(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector, { hasText: text }).waitFor({ timeout: 5000 });
}

describe('uploads (browser, two replicas, Redis)', () => {
  const cluster = clusterInBrowser(2, ONE_REDIS, { PUSHPAGE_UPLOAD_DIR: uploads });

  it('raises the upload event for a tab on replica 1, shown in tabs on both; a file too big is refused and stores nothing', async () => {
    const first = await cluster().open(0, '/upload');
    const second = await cluster().open(1, '/upload');
    const [one, two] = [first.page, second.page];

    await choose(one, 'hello.txt', 5);
    await one.locator('#upload button').click();
    // the handler ran, and its change reached a tab of another session on the other replica
    await shows(one, '#uploaded li', 'hello.txt (5 bytes)');
    await shows(two, '#uploaded li', 'hello.txt (5 bytes)');
    // msg.client reached the tab that sent it, through its socket
    await shows(one, '.pushpage-notice-toast', 'Stored hello.txt');
    await shows(one, '#upload [role=status]', 'Uploaded hello.txt');
    expect(storedFiles()).toHaveLength(1);

    // too big: the tab says so before sending anything
    await choose(one, 'big.txt', 3000);
    await one.locator('#upload button').click();
    await shows(one, '#upload [role=alert]', "big.txt is over the upload's limit of 2 kB");

    // a tab whose own check is out of the way: the server refuses it, and the tab shows that
    await one.evaluate(() => {
      const runtime = (
        window as unknown as {
          pushpage: { tree: { nodes: Map<string, { p: Record<string, unknown> }> } };
        }
      ).pushpage;
      for (const node of runtime.tree.nodes.values())
        if ('maxBytes' in node.p) node.p.maxBytes = 1e9;
    });
    await choose(one, 'big.txt', 3000);
    await one.locator('#upload button').click();
    await shows(one, '#upload [role=alert]', "a file is over the upload's limit of 2 kB");
    expect(storedFiles()).toHaveLength(1);
    expect(await two.locator('#uploaded li', { hasText: 'big.txt' }).count()).toBe(0);
    expect(await one.locator('#uploaded li', { hasText: 'big.txt' }).count()).toBe(0);

    // the refusal is the one request that failed (Chromium logs it too)
    expect(first.problems.filter((p) => !p.includes('413'))).toEqual([]);
    expect(first.problems.some((p) => /^HTTP 413: .*\/uploads\//.test(p))).toBe(true);
    expect(second.problems).toEqual([]);
  }, 60_000);
});
