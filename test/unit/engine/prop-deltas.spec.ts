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
  /** Another writer (a handler on another replica) appends to the same prop, and commits. */
  const appendElsewhere = async (points: number[]) => {
    const other = new UnitOfWork(store, null);
    const fresh = (await other.loadPage(page.id)) as WebPage;
    fresh.children[0].appendToProp('options', ['series', 0, 'data'], points);
    await other.flush();
  };
  return { work, chart: loaded.children[0], patches, reload, appendElsewhere };
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

  it('sends whole a property it never wrote once others changed the page, then parts of it', async () => {
    const { work, chart, patches, appendElsewhere } = await storedChart();
    chart.setProp('title', 'mine');
    await work.flush(); // version known: in step
    await appendElsewhere([9]);
    chart.setProp('title', 'mine again');
    await work.flush(); // blind: from here only the title is known to be as stored
    chart.appendToProp('options', ['series', 0, 'data'], [4]);
    await work.flush();
    expect(patches[2].o).toEqual([
      ['set', chart.id, 'options', { series: [{ name: 'load', data: [1, 2, 3, 4] }] }],
    ]);
    chart.appendToProp('options', ['series', 0, 'data'], [5]);
    await work.flush();
    expect(patches[3].o).toEqual([['push', chart.id, 'options', ['series', 0, 'data'], [5]]]);
  });

  it('keeps sending parts while nobody else changed the page between this writer’s commits', async () => {
    const { work, chart, patches, reload } = await storedChart();
    for (const point of [4, 5]) {
      chart.appendToProp('options', ['series', 0, 'data'], [point]);
      await work.flush();
    }
    expect(patches.map((p) => p.o[0][0])).toEqual(['push', 'push']);
    expect(await reload()).toEqual({ series: [{ name: 'load', data: [1, 2, 3, 4, 5] }] });
  });

  it('sends the whole value when another writer changed the page since it was loaded', async () => {
    // a task that holds the page it loaded earlier commits as it is (last writer wins per
    // field); a part made from its older copy would leave tabs with a value the store lacks
    const { work, chart, patches, reload, appendElsewhere } = await storedChart();
    await appendElsewhere([9]);
    chart.appendToProp('options', ['series', 0, 'data'], [4]);
    await work.flush();
    const stored = { series: [{ name: 'load', data: [1, 2, 3, 4] }] };
    expect(patches.flatMap((p) => p.o)).toEqual([['set', chart.id, 'options', stored]]);
    expect(await reload()).toEqual(stored);

    // the property it sent whole is as stored from then on: parts again, until someone else writes
    chart.appendToProp('options', ['series', 0, 'data'], [5]);
    await work.flush();
    expect(patches[1].o).toEqual([['push', chart.id, 'options', ['series', 0, 'data'], [5]]]);
    await appendElsewhere([6]);
    chart.appendToProp('options', ['series', 0, 'data'], [7]);
    await work.flush();
    expect(patches[2].o[0][0]).toBe('set');
    expect(await reload()).toEqual({ series: [{ name: 'load', data: [1, 2, 3, 4, 5, 7] }] });
  });
});
