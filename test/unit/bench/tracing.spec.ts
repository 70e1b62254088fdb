import { tracingRows } from '../../bench/rows';
import { RestRun } from '../../bench/scenarios/rest';
import { TracingResult } from '../../bench/scenarios/tracing';

function run(eventsPerSec: number, cpuMs: number): RestRun {
  return {
    kind: 'pushpage',
    clients: 50,
    eventsPerSec,
    latency: { count: 100, mean: 10, p50: 9, p99: 30, max: 40 },
    failures: 0,
    serverCpuMsPerEvent: cpuMs,
    redisCommandsPerEvent: 13,
  };
}

const result: TracingResult = {
  off: run(500, 3),
  on: run(400, 3.6),
  sampled: run(480, 3.1),
  offAgain: run(490, 3.05),
  spansPerEvent: 8.02,
};

describe('the tracing benchmark’s rows', () => {
  it('puts every trace, one in ten, and none again beside tracing off of the same run', () => {
    const rows = tracingRows(result);
    expect(rows.map((row) => [row.pushpage, row.baseline, row.ratio])).toEqual([
      ['400', '500', '0.80×'],
      ['9.00', '9.00', '1.00×'],
      ['30.00', '30.00', '1.00×'],
      ['3.60', '3.00', '1.20×'],
      ['8.0', '0.0', 'n/a'],
      ['480', '500', '0.96×'],
      ['9.00', '9.00', '1.00×'],
      ['30.00', '30.00', '1.00×'],
      ['3.10', '3.00', '1.03×'],
      ['490', '500', '0.98×'],
      ['9.00', '9.00', '1.00×'],
      ['30.00', '30.00', '1.00×'],
      ['3.05', '3.00', '1.02×'],
    ]);
    expect(rows[0].measure).toMatch(/^REST events with every trace exported, 50 clients/);
    expect(rows[5].measure).toMatch(/^REST events with one trace in ten exported/);
  });

  it('has no rows for a run that failed or did not run', () => {
    expect(tracingRows(new Error('no receiver'))).toEqual([]);
    expect(tracingRows(undefined)).toEqual([]);
  });
});
