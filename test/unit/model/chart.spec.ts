import { Chart, ChartOptions, PropPathError, WebPage } from '../../../libs/pushpage/src';
import { clientNodeOf } from '../../../libs/pushpage/src/model/serialize';

const options = (): ChartOptions => ({
  xAxis: { type: 'time' },
  yAxis: { type: 'value' },
  series: [
    { type: 'line', name: 'cpu', data: [[1, 0.5]] },
    { type: 'bar', name: 'memory', data: [] },
  ],
});

describe('a chart', () => {
  it('draws as a chart node whose options tabs get whole, sized by default', () => {
    const chart = new Chart({ chart: options(), parent: new WebPage() });
    const node = clientNodeOf(chart);
    expect(node.t).toBe('pushpage-chart');
    expect(node.p.options).toEqual(options());
    expect(chart.style).toBe('height: 320px');
  });

  it('appends points to a series by index or name, keeping the last ones asked for', () => {
    const chart = new Chart({ chart: options() });
    chart.append(
      'cpu',
      [
        [2, 0.6],
        [3, 0.7],
      ],
      { keepLast: 2 },
    );
    chart.append(1, [4]);
    expect(chart.chart.series.map((series) => series.data)).toEqual([
      [
        [2, 0.6],
        [3, 0.7],
      ],
      [4],
    ]);
    expect(() => chart.append('disk', [1])).toThrow(/has no series "disk"/);
    expect(() => chart.append(2, [1])).toThrow(RangeError);
  });

  it('sets one option at a path, and refuses a path that does not fit', () => {
    const chart = new Chart({ chart: options() });
    chart.setOption(['series', 0, 'name'], 'load');
    expect(chart.chart.series[0].name).toBe('load');
    expect(() => chart.setOption(['legend', 'data'], [])).toThrow(PropPathError);
    expect(() => new Chart({ chart: {} as ChartOptions })).toThrow(/series list/);
  });

  it('finds the point an event names among its own, never trusting the tab’s value', () => {
    const chart = new Chart({ chart: options() });
    const event = (args: unknown[]) => ({ event: { args } }) as never;
    expect(chart.pointOf(event([{ seriesIndex: 0, dataIndex: 0, value: 'forged' }]))).toEqual({
      seriesIndex: 0,
      dataIndex: 0,
      seriesName: 'cpu',
      value: [1, 0.5],
    });
    for (const args of [
      [],
      [null],
      [{ seriesIndex: 0, dataIndex: 5 }],
      [{ seriesIndex: 3, dataIndex: 0 }],
      [{ seriesIndex: '0', dataIndex: 0 }],
    ])
      expect(chart.pointOf(event(args))).toBeUndefined();
  });
});
