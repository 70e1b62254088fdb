import { Chart } from 'pushpage';
import { MonitoredService, Sample } from './fleet.service';

/** How many samples the fleet history keeps per service (two minutes at one a second). */
export const HISTORY_POINTS = 120;

/** The fleet history: one line of p95 latency per service, shared by every tab. */
export type FleetHistory = Chart;

/** A new, empty fleet history with one series per service, in the fleet's order. */
export function buildHistory(services: readonly MonitoredService[]): FleetHistory {
  return new Chart({
    chart: {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: services.map((s) => s.name), top: 0 },
      grid: { left: 56, right: 16, top: 36, bottom: 32 },
      xAxis: { type: 'time' },
      // latencies range from tens to hundreds of ms: a log axis keeps every line readable
      yAxis: { type: 'log', name: 'p95 ms', min: 1 },
      series: services.map((s) => ({ type: 'line', name: s.name, data: [], showSymbol: false })),
    },
    attrs: { 'data-role': 'history' },
    style: 'height: 280px',
  });
}

/**
 * Adds one sample per service at `at` (ms since the epoch): tabs get only the new points,
 * and the oldest beyond {@link HISTORY_POINTS} drop, on the server and in every tab.
 */
export function recordSamples(
  history: FleetHistory,
  at: number,
  samples: readonly { service: MonitoredService; sample: Sample }[],
): void {
  for (const { service, sample } of samples)
    history.append(service.name, [[at, sample.latencyMs]], { keepLast: HISTORY_POINTS });
}
