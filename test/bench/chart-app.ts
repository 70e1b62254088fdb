/**
 * The server of the chart benchmark: one process, the embedded store, two shared pages with a
 * chart of `BENCH_CHART_POINTS` points that a page timer moves on by one point per tick, every
 * `BENCH_CHART_TICK_MS`: `/bench-chart/append` sends tabs the new point (`Chart.append`),
 * `/bench-chart/whole` assigns the whole option tree (what a chart without path ops sends).
 * The timer starts paused; the page's button starts it once every tab has joined.
 */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Button,
  Chart,
  defineShared,
  handler,
  PageRenderer,
  PageRequest,
  PageRoute,
  PushpageModule,
  Timer,
  WebPage,
} from 'pushpage';

const POINTS = Number(process.env.BENCH_CHART_POINTS ?? 10_000);
const TICK_MS = Number(process.env.BENCH_CHART_TICK_MS ?? 250);
const ROUTE = '/bench-chart/:mode';

type Feed = Timer<{ chart: Chart; next: number }>;

function pointAt(n: number): [number, number] {
  return [n, Math.round(Math.sin(n / 50) * 1000) / 1000];
}

@Injectable()
@PageRoute(ROUTE, { title: 'Chart benchmark' })
class BenchChartPage implements PageRenderer<typeof ROUTE> {
  private readonly pages = {
    append: defineShared('bench:chart:append', () => this.build(this.append)),
    whole: defineShared('bench:chart:whole', () => this.build(this.whole)),
  };

  render(req: PageRequest<typeof ROUTE>): Promise<WebPage> {
    return req.shared(req.params.mode === 'whole' ? this.pages.whole : this.pages.append);
  }

  private build(tick: BenchChartPage['append']): WebPage {
    const page = new WebPage({ title: 'Chart benchmark' });
    const chart = new Chart({
      chart: {
        animation: false,
        xAxis: { type: 'value' },
        yAxis: { type: 'value' },
        series: [{ type: 'line', data: Array.from({ length: POINTS }, (_, n) => pointAt(n)) }],
      },
      parent: page,
    });
    const timer = new Timer<{ chart: Chart; next: number }>({
      every: TICK_MS,
      tick,
      active: false,
      data: { chart, next: POINTS },
      parent: page,
    });
    new Button<{ timer: Timer }>({
      text: 'Start',
      click: this.start,
      data: { timer },
      parent: page,
    });
    return page;
  }

  readonly start = handler((self: Button<{ timer: Timer }>) => {
    self.data.timer.active = true;
  });

  readonly append = handler((self: Feed) => {
    const next = self.data.next;
    self.data.next = next + 1;
    self.data.chart.append(0, [pointAt(next)], { keepLast: POINTS });
  });

  readonly whole = handler((self: Feed) => {
    const next = self.data.next;
    self.data.next = next + 1;
    const options = self.data.chart.chart;
    const [series] = options.series;
    const data = [...series.data.slice(1), pointAt(next)];
    self.data.chart.chart = { ...options, series: [{ ...series, data }] };
  });
}

@Module({
  imports: [PushpageModule.forRoot({ pageRateLimit: 1_000_000 })],
  providers: [BenchChartPage],
})
class BenchChartModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BenchChartModule, { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  console.log(`bench chart server at ${await app.getUrl()}`);
}

void main();
