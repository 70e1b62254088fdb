import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
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
  PUSHPAGE_UPLOAD_STORAGE,
  QBtn,
  QTable,
  QuasarPage,
  Timer,
  Upload,
  UploadStorage,
  WebPage,
} from 'pushpage';
import { readCsvSeries } from './csv-series';

/** The sensors the dashboard reads, each a line of the chart. */
export const SENSORS = ['north', 'south', 'east'] as const;
/** How often the sensors are read, in ms. */
export const READ_EVERY_MS = 1000;
/** How many points of each sensor the chart keeps (two minutes). */
const CHART_POINTS = 120;
/** How many readings the table keeps. */
export const TABLE_ROWS = 30;

/** The largest CSV file the dashboard takes. */
export const CSV_MAX_BYTES = 64 * 1024;
/** How many uploaded series the chart shows beside the sensors; a new one replaces the oldest. */
const UPLOADED_SERIES = 3;

/** A series added from an uploaded file: its name and where the file is stored. */
interface UploadedSeries {
  name: string;
  key: string;
  points: number;
}

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
  uploads: P;
  /** The series added from uploads, oldest first. */
  uploaded: UploadedSeries[];
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

/** A line of text the handlers rewrite, found by its id. */
function statusLine(parent: Div, id: string, text: string): P {
  return new P({ text, attrs: { id }, classes: 'q-mt-sm q-mb-none', parent });
}

function timeOfDay(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

/**
 * `/dashboard-live`: one dashboard for everybody. A page timer reads three sensors once a
 * second, for the cluster: each reading adds a point to the chart and a row to the table, and
 * tabs receive only those. Select rows to average them; click a row to see it; upload a CSV
 * file to add a series.
 */
@Injectable()
@PageRoute('/dashboard-live', { title: 'Live dashboard' })
export class LiveDashboardPage implements PageRenderer {
  private readonly page = defineShared('demo:dashboard-live', () => this.build());

  constructor(@Inject(PUSHPAGE_UPLOAD_STORAGE) private readonly storage: UploadStorage) {}

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
    const clicked = statusLine(main, 'reading-clicked', 'Click a reading to see it here.');
    const picked = statusLine(main, 'readings-selected', 'No reading selected.');
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
    const csv = new Div({ classes: 'q-mt-lg', parent: main });
    new Div({ text: 'Add a series from a CSV file', classes: 'text-h6', parent: csv });
    new P({
      text:
        'Lines of "time,value" (time as an ISO 8601 date or milliseconds since 1970), ' +
        `at most ${CSV_MAX_BYTES / 1024} kB; the series shows on every tab.`,
      classes: 'text-grey-8',
      parent: csv,
    });
    new Upload({
      accept: ['.csv', 'text/csv'],
      maxBytes: CSV_MAX_BYTES,
      label: 'Add series',
      upload: this.csvUploaded,
      attrs: { id: 'csv-upload' },
      parent: csv,
    });
    const uploads = statusLine(csv, 'uploaded-series', 'No series uploaded yet.');
    Object.assign(wp.data, { chart, table, clicked, picked, uploads, uploaded: [] });
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

  /**
   * A CSV file stored: its points become a series of the chart (tabs get that series alone),
   * in the slot of a series of the same name, or of the oldest upload once there are enough.
   * A file that does not read is deleted and the tab told why.
   */
  readonly csvUploaded = handler(async (_self: Upload, msg: EventMessage<Dashboard>) => {
    const [file] = msg.files;
    const read = readCsvSeries(await this.text(file.key));
    if (!read.ok) {
      await this.storage.delete(file.key);
      msg.client.notify(`${file.name}: ${read.problem}`, { type: 'negative' });
      return false;
    }
    const { chart, uploads } = msg.page.data;
    const name = file.name.replace(/\.csv$/i, '').slice(0, 40) || 'upload';
    let uploaded = [...msg.page.data.uploaded];
    const same = uploaded.find((series) => series.name === name);
    const replaced = same ?? (uploaded.length >= UPLOADED_SERIES ? uploaded[0] : undefined);
    const index = replaced ? chart.seriesIndex(replaced.name) : chart.chart.series.length;
    chart.setOption(['series', index], {
      type: 'line',
      name,
      data: read.points,
      showSymbol: false,
      lineStyle: { type: 'dashed' },
    });
    if (replaced) uploaded = uploaded.filter((series) => series !== replaced);
    uploaded.push({ name, key: file.key, points: read.points.length });
    msg.page.data.uploaded = uploaded;
    uploads.text = `From uploads: ${uploaded.map((s) => `${s.name} (${s.points} points)`).join(', ')}`;
    msg.client.notify(`Added ${name}: ${read.points.length} points`, { type: 'positive' });
    // the points live in the chart now; the replaced series' file is no longer needed
    if (replaced && replaced.key !== file.key) await this.storage.delete(replaced.key);
    return undefined;
  });

  /** A stored file's text (the upload's `maxBytes` keeps it small). */
  private async text(key: string): Promise<string> {
    const stream: Readable | undefined = await this.storage.open(key);
    if (!stream) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }

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
