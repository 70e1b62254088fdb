import { Page } from 'playwright-core';
import { SENSORS } from '../../apps/demo/pages/dashboard-live.page';
import { Tab } from '../support/browser';
import { clusterInBrowser } from '../support/cluster-browser';

type Op = [string, string, string, ...unknown[]];

/** The ops of the patches a tab received, from the `skip`-th patch on. */
function opsOf(tab: Tab, skip: number): Op[] {
  return tab.patches.slice(skip).flatMap((text) => (JSON.parse(text) as { o: Op[] }).o);
}

/** The series names and point counts of the dashboard's chart, as the tab holds them. */
function seriesIn(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const api = (window as unknown as { pushpage: { tree: { nodes: Map<string, unknown> } } })
      .pushpage;
    for (const node of api.tree.nodes.values()) {
      const live = node as {
        t: string;
        p: { options?: { series: { name: string; data: unknown[] }[] } };
      };
      if (live.t === 'pushpage-chart')
        return Object.fromEntries(
          (live.p.options?.series ?? []).map((s) => [s.name, s.data.length]),
        );
    }
    return {};
  });
}

async function uploadCsv(page: Page, name: string, text: string): Promise<void> {
  await page.locator('#csv-upload input[type=file]').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(text),
  });
  await page.locator('#csv-upload button').click();
}

/** The ids in the table's first column, as the tab shows them (newest first). */
async function shownIds(page: Page): Promise<number[]> {
  const cells = await page.locator('#readings-table tbody tr td:nth-child(2)').allInnerTexts();
  return cells.map(Number).filter((id) => Number.isInteger(id));
}

/** The table row showing reading `id`. */
function rowOf(page: Page, id: number) {
  return page
    .locator('#readings-table tbody tr')
    .filter({ has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^${id}$`) }) });
}

describe('the live dashboard on two replicas behind one Redis (browser)', () => {
  const cluster = clusterInBrowser(2);

  it('streams readings as small pushes to tabs on both replicas, and reports the row clicked', async () => {
    const one = await cluster().open(0, '/dashboard-live');
    const two = await cluster().open(1, '/dashboard-live');
    const seenAtJoin = two.patches.length;
    await two.page.locator('#readings-chart[data-chart-ready] canvas').first().waitFor();

    // two more ticks' readings in both tabs, the same ones
    await two.page.waitForFunction(
      () => document.querySelectorAll('#readings-table tbody tr td:nth-child(2)').length > 0,
      undefined,
      { timeout: 15_000 },
    );
    const newest = Math.max(...(await shownIds(two.page))) + 2 * SENSORS.length;
    await rowOf(two.page, newest).waitFor({ timeout: 15_000 });
    await rowOf(one.page, newest).waitFor({ timeout: 10_000 });
    const cells = (page: Page) => rowOf(page, newest).locator('td').allInnerTexts();
    expect(await cells(two.page)).toEqual(await cells(one.page));

    // each tick reached the tab as appended points and rows, never the whole chart or table
    const touched = opsOf(two, seenAtJoin).filter(
      ([, , prop]) => prop === 'options' || prop === 'rows',
    );
    expect(touched.length).toBeGreaterThanOrEqual(SENSORS.length + 1);
    expect(new Set(touched.map(([kind]) => kind))).toEqual(new Set(['push']));
    const rowPushes = touched.filter(([, , prop]) => prop === 'rows');
    for (const push of rowPushes) expect((push[4] as unknown[]).length).toBe(SENSORS.length);

    // paused from replica 2, the rows stay put for the clicks that follow
    await two.page.locator('#pause-readings').click();
    await one.page.locator('#pause-readings', { hasText: 'Resume readings' }).waitFor();
    const settled = await shownIds(one.page);
    const pick = settled[2];
    const row = rowOf(two.page, pick);
    const [, id, at, sensor, value] = await row.locator('td').allInnerTexts();
    await row.locator('td').nth(2).click();
    const shown = `Reading ${id}: ${sensor} ${value} at ${at} UTC`;
    for (const tab of [one, two])
      await tab.page.locator('#reading-clicked', { hasText: shown }).waitFor({ timeout: 5000 });

    // ticking two rows on replica 1 averages them on the server, for both tabs
    const other = settled[3];
    await rowOf(one.page, pick).locator('.q-checkbox').click();
    await rowOf(one.page, other).locator('.q-checkbox').click();
    const values = await Promise.all(
      [pick, other].map(async (n) =>
        Number(await rowOf(one.page, n).locator('td').nth(4).innerText()),
      ),
    );
    const mean = ((values[0] + values[1]) / 2).toFixed(1);
    const both = [pick, other].sort((a, b) => a - b).join(', ');
    for (const tab of [one, two])
      await tab.page
        .locator('#readings-selected', { hasText: `2 selected (${both}): mean ${mean}` })
        .waitFor({ timeout: 5000 });
    expect(await shownIds(two.page)).toEqual(settled);

    // resumed, readings flow again
    await one.page.locator('#pause-readings').click();
    await rowOf(two.page, Math.max(...settled) + SENSORS.length).waitFor({ timeout: 10_000 });
    for (const tab of [one, two]) {
      expect(tab.problems).toEqual([]);
      expect(tab.eventAcks.every((ack) => ack.startsWith('{"ok":true'))).toBe(true);
    }
  }, 60_000);

  it('adds a series from a CSV uploaded on replica 1 to the chart in tabs on both replicas', async () => {
    const one = await cluster().open(0, '/dashboard-live');
    const two = await cluster().open(1, '/dashboard-live');
    const now = Date.now();
    const lines = Array.from(
      { length: 30 },
      (_, i) => `${new Date(now - (30 - i) * 1000).toISOString()},${40 + (i % 7)}`,
    );
    await uploadCsv(one.page, 'outdoor.csv', ['time,value', ...lines].join('\n'));
    await one.page
      .locator('.pushpage-notice-toast', { hasText: 'Added outdoor: 30 points' })
      .waitFor({ timeout: 10_000 });
    for (const tab of [one, two])
      await tab.page
        .locator('#uploaded-series', { hasText: 'From uploads: outdoor (30 points)' })
        .waitFor({ timeout: 10_000 });
    await two.page.waitForFunction(() =>
      document.querySelector('#readings-chart')?.hasAttribute('data-chart-ready'),
    );
    expect(await seriesIn(two.page)).toMatchObject({ outdoor: 30 });

    // a file that does not read: the tab that sent it is told why, and nothing changes
    await uploadCsv(one.page, 'broken.csv', `time,value\n${lines[0]}\nyesterday,4\n`);
    await one.page
      .locator('.pushpage-notice-toast', { hasText: 'broken.csv: line 3 is not "time,value"' })
      .waitFor({ timeout: 10_000 });
    expect(Object.keys(await seriesIn(one.page))).toEqual([...SENSORS, 'outdoor']);
    await expect(two.page.locator('#uploaded-series').innerText()).resolves.toBe(
      'From uploads: outdoor (30 points)',
    );
    for (const tab of [one, two]) expect(tab.problems).toEqual([]);
  }, 60_000);
});
