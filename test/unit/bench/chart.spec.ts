import { chartRows } from '../../bench/chart-rows';
import { ChartResult } from '../../bench/scenarios/chart';

const result: ChartResult = {
  points: 10_000,
  tabs: 100,
  append: { ticks: 20, bytesPerTickPerTab: 102.4, serverCpuMsPerTick: 3.25 },
  whole: { ticks: 20, bytesPerTickPerTab: 210_000, serverCpuMsPerTick: 40 },
};

describe('the chart benchmark’s rows', () => {
  it('puts the new point beside the whole option tree of the same run', () => {
    const rows = chartRows(result);
    expect(rows.map((row) => [row.pushpage, row.baseline, row.ratio])).toEqual([
      ['102', '210,000', '0.0005×'],
      ['3.3', '40.0', '0.0813×'],
    ]);
    expect(rows[0].measure).toMatch(/10,000 points, 100 tabs.*bytes per tick per tab$/);
  });

  it('has no rows for a run that failed or did not run', () => {
    expect(chartRows(new Error('no server'))).toEqual([]);
    expect(chartRows(undefined)).toEqual([]);
  });
});
