import type { EventProperties } from '../event-wire';
import { CHART_TAG, JsonValue, PropPath } from '../protocol';
import { Component, ComponentData, ComponentOptions, toJsonValue } from './component';

/** One point of a series: a value, `[x, y]` (x a number or a category), or an object. */
export type ChartDatum =
  | number
  | string
  | null
  | readonly (number | string | null)[]
  | { value: number | string | readonly (number | string | null)[]; name?: string };

/** A series of a chart (ECharts' `series` item): the common fields typed, others allowed. */
export interface ChartSeries {
  type:
    'line' | 'bar' | 'scatter' | 'pie' | 'effectScatter' | 'candlestick' | 'boxplot' | 'heatmap';
  name?: string;
  /** Its points; {@link Chart.append} adds to them, sending only the new ones. */
  data: ChartDatum[];
  smooth?: boolean;
  showSymbol?: boolean;
  stack?: string;
  [option: string]: unknown;
}

/** An axis of a chart (ECharts' `xAxis`/`yAxis`). */
export interface ChartAxis {
  type?: 'value' | 'category' | 'time' | 'log';
  name?: string;
  data?: (string | number)[];
  min?: number | 'dataMin';
  max?: number | 'dataMax';
  [option: string]: unknown;
}

/**
 * A chart's options, as Apache ECharts takes them (its option reference names every one):
 * the common ones typed, any other allowed. JSON only: formatters are templates
 * (`'{b}: {c}'`), never functions; tooltips are drawn on the canvas.
 */
export interface ChartOptions {
  title?: { text?: string; subtext?: string; left?: string | number; [option: string]: unknown };
  tooltip?: { trigger?: 'item' | 'axis' | 'none'; [option: string]: unknown };
  legend?: { data?: string[]; [option: string]: unknown };
  grid?: Record<string, unknown>;
  xAxis?: ChartAxis | ChartAxis[];
  yAxis?: ChartAxis | ChartAxis[];
  dataZoom?: Record<string, unknown>[];
  animation?: boolean;
  series: ChartSeries[];
  [option: string]: unknown;
}

/** Options of {@link Chart}. */
export interface ChartComponentOptions<
  D extends ComponentData = ComponentData,
  S = Chart<D>,
> extends Omit<ComponentOptions<D, S>, 'text' | 'innerHtml'> {
  /** What the chart draws. */
  chart: ChartOptions;
}

/** The point a chart event (`click`, `dblclick`, ...) was about, as the tab reported it. */
export interface ChartPoint {
  seriesIndex: number;
  dataIndex: number;
  seriesName?: string;
  name?: string;
  value?: JsonValue;
}

/**
 * A chart drawn by Apache ECharts in every tab (canvas), from options kept on the server.
 * Changing a part sends tabs only that part: {@link Chart.append} sends the new points,
 * {@link Chart.setOption} one option, never the whole option tree; assigning
 * {@link Chart.chart} sends it all. Chart events bind like any event, on the chart:
 * `chart.on('click', handler, { props: ['args'] })` and {@link Chart.pointOf} in the handler.
 * Size it with `style` (default `height: 320px`).
 *
 * ```ts
 * const load = new Chart({ chart: { xAxis: { type: 'time' }, yAxis: {}, series: [{ type: 'line', data: [] }] } });
 * load.append(0, [[Date.now(), 0.42]], { keepLast: 600 }); // a few dozen bytes per tab
 * ```
 */
export class Chart<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Chart';
  static override readonly tag: string = CHART_TAG;

  constructor(options: ChartComponentOptions<D>) {
    const { chart, ...rest } = options;
    super(rest as ComponentOptions<D, Chart<D>>);
    if (options.style === undefined) this.style = 'height: 320px';
    this.chart = chart;
  }

  /** The whole option tree; assigning it sends it whole. */
  get chart(): ChartOptions {
    return this.getProp('options') as unknown as ChartOptions;
  }
  set chart(options: ChartOptions) {
    if (!Array.isArray(options.series)) throw new TypeError('a chart needs a series list');
    this.setProp('options', toJsonValue(options, 'chart options'));
  }

  /**
   * Appends points to a series (by index, or by name) and sends tabs only those points;
   * with `keepLast`, the oldest are dropped so that at most that many stay (tabs drop them
   * too).
   */
  append(
    series: number | string,
    points: readonly ChartDatum[],
    options: { keepLast?: number } = {},
  ): void {
    const index = this.seriesIndex(series);
    this.appendToProp(
      'options',
      ['series', index, 'data'],
      points as JsonValue[],
      options.keepLast,
    );
  }

  /** Replaces one option at a path (`['title', 'text']`, `['series', 1, 'data']`), sending only it. */
  setOption(path: PropPath, value: JsonValue): void {
    this.patchProp('options', path, value);
  }

  /** The index of a series by its index or its name; throws for one the chart does not have. */
  seriesIndex(series: number | string): number {
    const list = this.chart.series;
    const index =
      typeof series === 'number' ? series : list.findIndex((item) => item.name === series);
    if (!Number.isInteger(index) || index < 0 || index >= list.length)
      throw new RangeError(`chart ${this.id} has no series ${JSON.stringify(series)}`);
    return index;
  }

  /**
   * The point a chart event was about, from the event's `args` (bind with
   * `{ props: ['args'] }`), checked against this chart's series; `undefined` when the event
   * was not about a point (a click beside the lines) or names one the chart does not have.
   */
  pointOf(msg: { readonly event: EventProperties<'args'> }): ChartPoint | undefined {
    const sent = msg.event.args[0];
    if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) return undefined;
    const { seriesIndex, dataIndex } = sent;
    if (typeof seriesIndex !== 'number' || typeof dataIndex !== 'number') return undefined;
    const series = this.chart.series[seriesIndex];
    if (!series || !Number.isInteger(dataIndex) || dataIndex < 0 || dataIndex >= series.data.length)
      return undefined;
    const point: ChartPoint = {
      seriesIndex,
      dataIndex,
      value: series.data[dataIndex] as JsonValue,
    };
    if (series.name !== undefined) point.seriesName = series.name;
    if (typeof sent.name === 'string') point.name = sent.name;
    return point;
  }
}
