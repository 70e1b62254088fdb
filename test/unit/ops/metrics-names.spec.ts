import { PushpageMetrics } from '../../../libs/pushpage/src/ops/metrics.service';

describe('metric names', () => {
  it('keeps Node’s default metrics under the names Node dashboards query', async () => {
    const names = (await new PushpageMetrics().registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_seconds',
        'pushpage_connected_tabs',
        'pushpage_events_total',
      ]),
    );
    expect(names.filter((name) => name.startsWith('pushpage_process_'))).toEqual([]);
    // the rest are Pushpage's own
    const others = names.filter((name) => !/^(process|nodejs)_/.test(name));
    expect(others.every((name) => name.startsWith('pushpage_'))).toBe(true);
  });
});
