import { Row } from './rows';
import { ChartResult } from './scenarios/chart';
import { fmt } from './stats';

/**
 * The rows of the chart scenario: the new point only (Pushpage's `Chart.append`) beside the
 * baseline of resending the whole option tree every tick, in the same run.
 */
export function chartRows(result: ChartResult | Error | undefined): Row[] {
  if (!result || result instanceof Error) return [];
  const on = `Live chart (${fmt(result.points, 0)} points, ${result.tabs} tabs, one point a tick; baseline: the whole option tree each tick)`;
  const row = (
    measure: string,
    value: (run: ChartResult['append']) => number,
    decimals: number,
  ): Row => {
    const [p, b] = [value(result.append), value(result.whole)];
    return {
      measure: `${on}: ${measure}`,
      pushpage: fmt(p, decimals),
      baseline: fmt(b, decimals),
      ratio: b > 0 ? `${fmt(p / b, 4)}×` : 'n/a',
      target: '',
      result: '',
    };
  };
  return [
    row('bytes per tick per tab', (run) => run.bytesPerTickPerTab, 0),
    row('server CPU per tick, all tabs (ms)', (run) => run.serverCpuMsPerTick, 1),
  ];
}
