import { Injectable } from '@nestjs/common';
import {
  Chart,
  ComponentData,
  defineShared,
  Div,
  EventMessage,
  H1,
  handler,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  Timer,
  WebPage,
} from 'pushpage';

/** How many readings the chart keeps. */
export const CHART_POINTS = 60;
/** How often a reading comes, in ms. */
export const CHART_EVERY_MS = 1000;

type Feed = Timer<{ chart: Chart; reading: number }>;
type PointChart = Chart<{ answer: P }>;

/** A reading that wanders: the last one, moved a little. */
function nextReading(last: number, tick: number): number {
  const wave = Math.sin(tick / 6) * 8;
  return Math.round((50 + wave + (last - 50) * 0.6 + (Math.random() - 0.5) * 6) * 10) / 10;
}

/**
 * `/chart`: one live chart for everybody. A page timer adds a reading a second, sending tabs
 * only the new point (the chart keeps the last 60); clicking a point tells the server which
 * one it was, and every tab shows it.
 */
@Injectable()
@PageRoute('/chart', { title: 'Live chart' })
export class ChartPage implements PageRenderer {
  private readonly page = defineShared('demo:chart', () => {
    const wp = new WebPage({ title: 'Live chart', classes: 'min-h-screen bg-gray-50' });
    const main = new Div({ classes: 'max-w-3xl mx-auto p-8', parent: wp });
    new H1({ text: 'Live chart', classes: 'text-4xl font-bold text-gray-800 mb-2', parent: main });
    new P({
      text: 'A page timer adds a reading every second; tabs get only the new point. Click a point.',
      classes: 'text-gray-600 mb-4',
      parent: main,
    });
    const answer = new P({ text: 'No point clicked yet', attrs: { id: 'point' }, parent: main });
    const chart = new Chart<{ answer: P }>({
      chart: {
        animation: false,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', min: 0, max: 100 },
        series: [{ type: 'line', name: 'reading', data: [], showSymbol: true }],
      },
      attrs: { id: 'live-chart' },
      classes: 'bg-white rounded shadow',
      data: { answer },
      parent: main,
    });
    chart.on('click', this.pointClicked, { props: ['args'] });
    new Timer<{ chart: Chart; reading: number }>({
      every: CHART_EVERY_MS,
      tick: this.read,
      data: { chart, reading: 50 },
      parent: main,
    });
    return wp;
  });

  render(req: PageRequest): Promise<WebPage> {
    return req.shared(this.page);
  }

  readonly read = handler((self: Feed) => {
    const chart = self.data.chart;
    const reading = nextReading(self.data.reading, Date.now() / CHART_EVERY_MS);
    self.data.reading = reading;
    chart.append(0, [[Date.now(), reading]], { keepLast: CHART_POINTS });
  });

  readonly pointClicked = handler(
    (self: PointChart, msg: EventMessage<ComponentData, 'click', 'args'>) => {
      const point = self.pointOf(msg);
      if (!point) return false;
      const [at, value] = Array.isArray(point.value) ? point.value : [null, point.value];
      const time = typeof at === 'number' ? new Date(at).toISOString().slice(11, 19) : '?';
      self.data.answer.text = `${point.seriesName ?? 'series'} at ${time} UTC: ${String(value)}`;
      return undefined;
    },
  );
}
