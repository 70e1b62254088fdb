import { Div, WebPage } from '../../../libs/pushpage/src';
import { ScopePatch } from '../../../libs/pushpage/src/engine/patch';
import { UnitOfWork } from '../../../libs/pushpage/src/engine/unit-of-work';
import { PropPathError } from '../../../libs/pushpage/src/prop-path';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';

async function storedChart() {
  const store = new MemoryStore();
  const page = new WebPage();
  const chart = new Div({ parent: page });
  chart.setProp('options', { series: [{ name: 'load', data: [1, 2, 3] }] });
  const first = new UnitOfWork(store, null);
  first.addPage(page, { session: 's' });
  await first.commitQuietly();
  const patches: ScopePatch[] = [];
  const work = new UnitOfWork(store, { publish: (sent) => void patches.push(...sent) });
  const loaded = (await work.loadPage(page.id)) as WebPage;
  const reload = async () => {
    const fresh = (await new UnitOfWork(store, null).loadPage(page.id)) as WebPage;
    return fresh.children[0].getProp('options');
  };
  return { work, chart: loaded.children[0], patches, reload };
}

describe('changes inside a prop', () => {
  it('sends tabs only the appended points, and stores the whole value', async () => {
    const { work, chart, patches, reload } = await storedChart();
    chart.appendToProp('options', ['series', 0, 'data'], [4, 5], 4);
    expect(chart.getProp('options')).toEqual({ series: [{ name: 'load', data: [2, 3, 4, 5] }] });
    await work.flush();
    expect(patches.flatMap((p) => p.o)).toEqual([
      ['push', chart.id, 'options', ['series', 0, 'data'], [4, 5], 4],
    ]);
    expect(await reload()).toEqual({ series: [{ name: 'load', data: [2, 3, 4, 5] }] });
  });

  it('sends a value put at a path as that value alone', async () => {
    const { work, chart, patches, reload } = await storedChart();
    chart.patchProp('options', ['series', 0, 'name'], 'cpu');
    await work.flush();
    expect(patches.flatMap((p) => p.o)).toEqual([
      ['put', chart.id, 'options', ['series', 0, 'name'], 'cpu'],
    ]);
    expect(await reload()).toEqual({ series: [{ name: 'cpu', data: [1, 2, 3] }] });
  });

  it('changes nothing when the path does not fit', async () => {
    const { work, chart, patches, reload } = await storedChart();
    expect(() => chart.appendToProp('options', ['series', 2, 'data'], [1])).toThrow(PropPathError);
    expect(() => chart.patchProp('nothing', ['x'], 1)).toThrow(/has no value to change/);
    expect(() => chart.appendToProp('options', ['series', 0, 'data'], [1], 0)).toThrow(/keepLast/);
    await work.flush();
    expect(patches).toEqual([]);
    expect(await reload()).toEqual({ series: [{ name: 'load', data: [1, 2, 3] }] });
  });

  it('copies what it is given, so later changes to the caller’s array are not sent', async () => {
    const { work, chart, patches } = await storedChart();
    const points = [7];
    chart.appendToProp('options', ['series', 0, 'data'], points);
    points.push(8);
    await work.flush();
    expect(patches.flatMap((p) => p.o)).toEqual([
      ['push', chart.id, 'options', ['series', 0, 'data'], [7]],
    ]);
  });
});
