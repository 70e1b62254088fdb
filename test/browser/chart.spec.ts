import { Page } from 'playwright-core';
import { CHART_POINTS } from '../../apps/demo/pages/chart.page';
import { clusterInBrowser } from '../support/cluster-browser';

type Point = [number, number];

/** The points of the chart's series as the tab holds them (what ECharts draws). */
function pointsIn(page: Page): Promise<Point[]> {
  return page.evaluate(() => {
    const api = (window as unknown as { pushpage: { tree: { nodes: Map<string, unknown> } } })
      .pushpage;
    for (const node of api.tree.nodes.values()) {
      const live = node as { t: string; p: { options?: { series: { data: Point[] }[] } } };
      if (live.t === 'pushpage-chart') return [...(live.p.options?.series[0].data ?? [])];
    }
    return [];
  });
}

/**
 * The pixel of a point on the chart, from the ECharts instance the page drew it with. Given
 * as text: the test's compiler would rewrite a dynamic `import()` for Node.
 */
function pixelOf(page: Page, point: Point): Promise<[number, number]> {
  return page.evaluate(`(async () => {
    const chunk = performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .find((name) => /\\/chunks\\/echarts-[^/]+\\.js$/.test(name));
    if (!chunk) throw new Error('the ECharts chunk was not loaded');
    const echarts = await import(chunk);
    const element = document.getElementById('live-chart');
    const [x, y] = echarts.getInstanceByDom(element).convertToPixel({ seriesIndex: 0 }, ${JSON.stringify(point)});
    const box = element.getBoundingClientRect();
    return [box.left + x, box.top + y];
  })()`);
}

describe('a live chart on two replicas behind one Redis (browser)', () => {
  const cluster = clusterInBrowser(2);

  it('grows the same points in tabs on both replicas, and tells the server which point was clicked', async () => {
    const one = await cluster().open(0, '/chart');
    const two = await cluster().open(1, '/chart');
    for (const tab of [one, two])
      await tab.page.locator('#live-chart[data-chart-ready] canvas').first().waitFor();
    const before = (await pointsIn(one.page)).length;
    await one.page.waitForFunction(
      ({ count }) => {
        const api = (window as unknown as { pushpage: { tree: { nodes: Map<string, unknown> } } })
          .pushpage;
        for (const node of api.tree.nodes.values()) {
          const live = node as { t: string; p: { options?: { series: { data: unknown[] }[] } } };
          if (live.t === 'pushpage-chart')
            return (live.p.options?.series[0].data.length ?? 0) >= count;
        }
        return false;
      },
      { count: Math.min(before + 3, CHART_POINTS) },
      { timeout: 15_000 },
    );
    // the other replica's tab holds the same points, newest last
    const points = await pointsIn(one.page);
    await two.page.waitForFunction(
      (last) => {
        const api = (window as unknown as { pushpage: { tree: { nodes: Map<string, unknown> } } })
          .pushpage;
        for (const node of api.tree.nodes.values()) {
          const live = node as { t: string; p: { options?: { series: { data: number[][] }[] } } };
          if (live.t === 'pushpage-chart')
            return (live.p.options?.series[0].data ?? []).some((p) => p[0] === last);
        }
        return false;
      },
      points[points.length - 1][0],
      { timeout: 10_000 },
    );
    expect(await pointsIn(two.page)).toEqual(expect.arrayContaining(points.slice(-3)));

    // a click on a point on replica 2: the server names it, and every tab shows it
    const target = (await pointsIn(two.page)).at(-2) as Point;
    const [x, y] = await pixelOf(two.page, target);
    await two.page.mouse.click(x, y);
    const time = new Date(target[0]).toISOString().slice(11, 19);
    const answer = `reading at ${time} UTC: ${target[1]}`;
    await one.page.locator('#point', { hasText: answer }).waitFor({ timeout: 10_000 });
    await two.page.locator('#point', { hasText: answer }).waitFor({ timeout: 10_000 });
    for (const tab of [one, two]) expect(tab.problems).toEqual([]);
  }, 60_000);
});
