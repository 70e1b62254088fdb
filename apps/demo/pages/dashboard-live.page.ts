import { Injectable } from '@nestjs/common';
import {
  Chart,
  defineShared,
  Div,
  EventMessage,
  handler,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  QBtn,
  QTable,
  QuasarPage,
  Timer,
  WebPage,
} from 'pushpage';

/** The sensors the dashboard reads, each a line of the chart. */
export const SENSORS = ['north', 'south', 'east'] as const;
/** How often the sensors are read, in ms. */
export const READ_EVERY_MS = 1000;
/** How many points of each sensor the chart keeps (two minutes). */
const CHART_POINTS = 120;
/** How many readings the table keeps. */
export const TABLE_ROWS = 30;

/** A reading, as a row of the table. */
export interface Reading {
  id: number;
  sensor: string;
  value: number;
  /** The time of day it was read, `08:00:01`. */
  at: string;
}

/** What the dashboard page keeps. */
interface Dashboard {
  chart: Chart;
  table: QTable<Reading>;
  clicked: P;
  picked: P;
  [key: string]: unknown;
}

/** The page timer that reads the sensors, with where it left off. */
type Feed = Timer<{ next: number; last: Record<string, number> }>;
type PauseButton = QBtn<{ feed: Feed }>;

/** The next reading of a sensor: its last one, pulled back towards its level and jiggled. */
function nextValue(last: number, sensor: number, at: number): number {
  const level = 40 + sensor * 15 + Math.sin(at / 9000 + sensor) * 6;
  return Math.round((level + (last - level) * 0.7 + (Math.random() - 0.5) * 4) * 10) / 10;
}

function timeOfDay(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

/**
 * `/dashboard-live`: one dashboard for everybody. A page timer reads three sensors once a
 * second, for the cluster: each reading adds a point to the chart and a row to the table, and
 * tabs receive only those. Select rows to average them; click a row to see it.
 */
@Injectable()
@PageRoute('/dashboard-live', { title: 'Live dashboard' })
export class LiveDashboardPage implements PageRenderer {
  private readonly page = defineShared('demo:dashboard-live', () => this.build());

  render(req: PageRequest): Promise<WebPage> {
    return req.shared(this.page);
  }

  private build(): WebPage {
    const wp = new QuasarPage<Dashboard>({ title: 'Live dashboard' });
    const main = new Div({
      classes: 'q-pa-md',
      style: 'max-width: 960px; margin: auto',
      parent: wp,
    });
    const heading = new Div({ classes: 'row items-center q-gutter-md q-mb-sm', parent: main });
    new Div({ text: 'Live dashboard', classes: 'text-h4', parent: heading });
    new P({
      text:
        'A page timer reads three sensors every second, once for every tab on every replica; ' +
        'tabs get only the new points and rows.',
      classes: 'text-grey-8',
      parent: main,
    });
    const chart = new Chart({
      chart: {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 36, bottom: 32 },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', scale: true },
        series: SENSORS.map((name) => ({ type: 'line', name, data: [], showSymbol: false })),
      },
      attrs: { id: 'readings-chart' },
      classes: 'bg-white rounded-borders q-mb-md',
      parent: main,
    });
    const table = new QTable<Reading>({
      title: 'Latest readings',
      rowKey: 'id',
      columns: [
        { field: 'id', label: '#', align: 'left', sortable: true },
        { field: 'at', label: 'Time', align: 'left' },
        { field: 'sensor', label: 'Sensor', align: 'left', sortable: true },
        { field: 'value', label: 'Value', align: 'right', sortable: true },
      ],
      pagination: { rowsPerPage: 8, sortBy: 'id', descending: true },
      noDataLabel: 'No readings yet',
      selection: 'multiple',
      change: this.selectionChanged,
      rowClick: this.rowClicked,
      flat: true,
      bordered: true,
      dense: true,
      attrs: { id: 'readings-table' },
      parent: main,
    });
    const clicked = new P({
      text: 'Click a reading to see it here.',
      attrs: { id: 'reading-clicked' },
      classes: 'q-mt-sm',
      parent: main,
    });
    const picked = new P({
      text: 'No reading selected.',
      attrs: { id: 'readings-selected' },
      parent: main,
    });
    const feed: Feed = new Timer({
      every: READ_EVERY_MS,
      tick: this.read,
      data: { next: 1, last: {} },
      parent: main,
    });
    new QBtn<{ feed: Feed }>({
      label: 'Pause readings',
      color: 'primary',
      outline: true,
      attrs: { id: 'pause-readings' },
      data: { feed },
      click: this.pauseOrResume,
      parent: heading,
    });
    Object.assign(wp.data, { chart, table, clicked, picked });
    return wp;
  }

  readonly read = handler((self: Feed, msg: EventMessage<Dashboard>) => {
    const { chart, table } = msg.page.data;
    const at = Date.now();
    const readings = SENSORS.map((sensor, index): Reading => {
      const value = nextValue(self.data.last[sensor] ?? 40 + index * 15, index, at);
      self.data.last = { ...self.data.last, [sensor]: value };
      chart.append(sensor, [[at, value]], { keepLast: CHART_POINTS });
      return { id: self.data.next++, sensor, value, at: timeOfDay(at) };
    });
    table.addRows(readings, { keepLast: TABLE_ROWS });
  });

  readonly pauseOrResume = handler((self: PauseButton) => {
    const feed = self.data.feed;
    feed.active = !feed.active;
    self.label = feed.active ? 'Pause readings' : 'Resume readings';
  });

  readonly selectionChanged = handler(
    (self: QTable<Reading>, msg: EventMessage<Dashboard, 'change'>) => {
      const selected = self.selected;
      const mean = selected.reduce((sum, row) => sum + row.value, 0) / (selected.length || 1);
      msg.page.data.picked.text =
        selected.length === 0
          ? 'No reading selected.'
          : `${selected.length} selected (${selected.map((row) => row.id).join(', ')}): ` +
            `mean ${mean.toFixed(1)}`;
    },
  );

  readonly rowClicked = handler(
    (self: QTable<Reading>, msg: EventMessage<Dashboard, 'row-click', 'args'>) => {
      const row = self.clickedRow(msg);
      msg.page.data.clicked.text = row
        ? `Reading ${row.id}: ${row.sensor} ${row.value} at ${row.at} UTC`
        : 'That reading has scrolled away.';
    },
  );
}
