import { chartEventOf, chartOptionsOf } from '../../../client/src/chart';

describe('a chart in a tab', () => {
  it('draws tooltips on the canvas, never as HTML, and leaves the tab’s copy as it was', () => {
    const options = { tooltip: { trigger: 'axis', formatter: '<img src=x>{b}' }, series: [] };
    expect(chartOptionsOf(options)).toEqual({
      tooltip: { trigger: 'axis', formatter: '<img src=x>{b}', renderMode: 'richText' },
      series: [],
    });
    expect(options.tooltip).not.toHaveProperty('renderMode');
    expect(chartOptionsOf([{ tooltip: {} }])).toEqual({});
    expect(chartOptionsOf({ tooltip: [{}, {}] })).toEqual({
      tooltip: [{ renderMode: 'richText' }, { renderMode: 'richText' }],
    });
  });

  it('sends the fields of a chart event that say which point, never its DOM event', () => {
    const params = {
      componentType: 'series',
      seriesIndex: 0,
      dataIndex: 3,
      seriesName: 'cpu',
      value: [1, 2],
      event: { target: {}, offsetX: 5 },
      color: '#fff',
    };
    expect(chartEventOf(params)).toEqual({
      componentType: 'series',
      seriesIndex: 0,
      dataIndex: 3,
      seriesName: 'cpu',
      value: [1, 2],
    });
    expect(chartEventOf(null)).toEqual({});
  });
});
