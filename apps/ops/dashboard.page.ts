import { Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import {
  defineShared,
  Div,
  H1,
  H2,
  handler,
  Icon,
  OnStartup,
  PageRenderer,
  PageRequest,
  PageRoute,
  SharedDefinition,
  Span,
  TaskContext,
  WebPage,
} from 'pushpage';
import { OpsConfig } from './config';
import { FleetService, MonitoredService, Sample } from './fleet.service';
import { buildHistory, FleetHistory, recordSamples } from './history';
import { AckButton, IncidentRow, IncidentService, timeOfDay } from './incident.service';
import { buildTile, showSample, Tile } from './tile';

/** The most incident rows the list keeps; the oldest resolved ones make room. */
const MAX_INCIDENTS = 20;

/** The incident list: rows newest first, and a line shown until the first incident. */
type IncidentList = Div<{ empty: Div }>;

/** Every incident: one list for every tab on every replica. */
const INCIDENTS = defineShared('ops:incidents', () => {
  const list: IncidentList = new Div({
    classes: 'space-y-2',
    attrs: { 'data-role': 'incidents' },
  });
  list.data.empty = new Div({
    text: 'No incidents so far.',
    classes: 'rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-400',
    parent: list,
  });
  return list;
});

/** A line saying which replica samples and when it last did. */
type SamplerLine = Div<{ text: Span; samples?: number }>;

const SAMPLER = defineShared('ops:sampler', () => {
  const line: SamplerLine = new Div({
    classes:
      'ml-auto flex items-center gap-2 rounded-full bg-white px-3 py-1 text-sm text-slate-500 shadow-sm',
  });
  new Span({
    classes: 'inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-500',
    parent: line,
  });
  line.data.text = new Span({
    text: 'waiting for the first sample',
    attrs: { 'data-role': 'sampler' },
    parent: line,
  });
  return line;
});

/** A tile with its service, as the sampler works through them. */
interface LoadedTile {
  service: MonitoredService;
  tile: Tile;
}

/**
 * `/`: the live ops dashboard. Each tab gets a page of its own, holding the shared
 * elements every tab sees: one tile per service, the incident list, the sampler line. One
 * replica of the cluster samples the fleet and updates those elements; any replica runs
 * "Acknowledge" for a tab connected to it. Nothing that matters lives in this object: the
 * fleet's last samples, the open incidents and their acknowledgements are in the
 * components' data, in the store every replica shares.
 */
@Injectable()
@PageRoute('/', { title: 'Ops dashboard' })
export class OpsDashboardPage implements PageRenderer {
  private readonly logger = new Logger('Ops');
  /** Names this replica on the sampler line. */
  private readonly runner = `${hostname()} (pid ${process.pid})`;
  /** The shared tile of each service, by a stable name per service. */
  private readonly tiles: { service: MonitoredService; shared: SharedDefinition<Tile> }[];
  /** The fleet's latency history, one chart for every tab. */
  private readonly history: SharedDefinition<FleetHistory>;

  constructor(
    private readonly fleet: FleetService,
    private readonly incidents: IncidentService,
    private readonly config: OpsConfig,
  ) {
    this.tiles = fleet.services.map((service) => ({
      service,
      shared: defineShared(`ops:tile:${service.id}`, () => buildTile(service)),
    }));
    this.history = defineShared('ops:history', () => buildHistory(fleet.services));
  }

  async render(req: PageRequest): Promise<WebPage> {
    const wp = new WebPage({ title: 'Ops dashboard', classes: 'min-h-screen bg-slate-100' });
    const main = new Div({ classes: 'mx-auto max-w-7xl space-y-6 p-6', parent: wp });

    const header = new Div({ classes: 'flex flex-wrap items-center gap-4', parent: main });
    new Icon({ icon: 'tower-broadcast', classes: 'text-3xl text-indigo-600', parent: header });
    new H1({
      text: 'Live ops dashboard',
      classes: 'text-3xl font-bold text-slate-800',
      parent: header,
    });
    const sampler = await req.shared(SAMPLER);
    header.add(sampler);
    sampler.addPage(wp);

    const grid = new Div({ classes: 'grid gap-4 sm:grid-cols-2 lg:grid-cols-5', parent: main });
    for (const { shared } of this.tiles) {
      const tile = await req.shared(shared);
      grid.add(tile);
      tile.addPage(wp); // the tile's updates reach this page's tabs
    }

    const historySection = new Div({
      classes: 'rounded-xl bg-white p-4 shadow-sm',
      parent: main,
    });
    const historyHeading = new Div({
      classes: 'mb-2 flex flex-wrap items-center gap-2',
      parent: historySection,
    });
    new Icon({ icon: 'chart-line', classes: 'text-indigo-500', parent: historyHeading });
    new H2({
      text: 'Fleet history',
      classes: 'text-lg font-semibold text-slate-800',
      parent: historyHeading,
    });
    new Span({
      text: 'p95 latency of every service; each sample sends tabs only its new points.',
      classes: 'text-sm text-slate-500',
      parent: historyHeading,
    });
    const history = await req.shared(this.history);
    historySection.add(history);
    history.addPage(wp);

    const section = new Div({ classes: 'rounded-xl bg-white p-4 shadow-sm', parent: main });
    const heading = new Div({ classes: 'mb-3 flex flex-wrap items-center gap-2', parent: section });
    new Icon({ icon: 'triangle-exclamation', classes: 'text-amber-500', parent: heading });
    new H2({ text: 'Incidents', classes: 'text-lg font-semibold text-slate-800', parent: heading });
    new Span({
      text: 'A service over its limit opens one; acknowledge it from any tab.',
      classes: 'text-sm text-slate-500',
      parent: heading,
    });
    const list = await req.shared(INCIDENTS);
    section.add(list);
    list.addPage(wp);
    return wp;
  }

  /**
   * Samples the fleet every `OPS_SAMPLE_MS`, on one replica of the cluster at a time (the
   * holder of the task's lease; another takes over within seconds when it goes), shows each
   * sample on its tile, and opens and resolves incidents.
   */
  @OnStartup({ once: 'cluster' })
  async sample(ctx: TaskContext): Promise<void> {
    this.logger.log(`sampling the fleet every ${this.config.sampleMs} ms on this replica`);
    const tiles: LoadedTile[] = [];
    for (const { service, shared } of this.tiles)
      tiles.push({ service, tile: await ctx.shared(shared) });
    const list = await ctx.shared(INCIDENTS);
    await list.loadChildren(); // to resolve open incidents and prune old ones
    const sampler = await ctx.shared(SAMPLER);
    const history = await ctx.shared(this.history);
    do {
      try {
        await this.sampleFleet(tiles, list, sampler, history);
      } catch (error) {
        // a Redis hiccup: log it and sample again next time rather than end the task
        this.logger.warn(`sample failed: ${error instanceof Error ? error.message : error}`);
      }
    } while (await ctx.sleep(this.config.sampleMs));
    this.logger.log('sampler stopped on this replica');
  }

  /** "Acknowledge", clicked on any tab: the row changes for every tab on every replica. */
  readonly acknowledge = handler(async (self: AckButton) => {
    const row = self.data.row;
    if (this.incidents.acknowledge(row, new Date())) await row.update();
  });

  private async sampleFleet(
    tiles: LoadedTile[],
    list: IncidentList,
    sampler: SamplerLine,
    history: FleetHistory,
  ): Promise<void> {
    const now = new Date();
    const samples: { service: MonitoredService; sample: Sample }[] = [];
    for (const { service, tile } of tiles) {
      const sample = this.fleet.next(service, tile.data.sample);
      samples.push({ service, sample });
      const health = this.fleet.health(service, sample);
      showSample(tile, service, sample, health);
      const open = tile.data.incidentId;
      if (this.incidents.shouldOpen(health, open)) {
        const row = this.incidents.open(service, sample, now, this.acknowledge);
        list.addComponent(row, 0);
        if (list.data.empty.show) list.data.empty.show = false;
        tile.data.incidentId = row.id;
        pruneIncidents(list);
      } else if (this.incidents.shouldResolve(health, open)) {
        const row = list.children.find((c) => c.id === open) as IncidentRow | undefined;
        if (row) this.incidents.resolve(row, now);
        delete tile.data.incidentId;
      }
      // one atomic commit of this tile's changes (and the incident list's, if any); every
      // tab showing them, on any replica, gets a patch of each
      await tile.update();
    }
    recordSamples(history, now.getTime(), samples);
    await history.update();
    const count = (sampler.data.samples ?? 0) + 1;
    sampler.data.samples = count;
    sampler.data.text.text = `sample #${count} at ${timeOfDay(now)} by ${this.runner}`;
    await sampler.update();
  }
}

/** Drops the oldest resolved incidents while the list holds more than {@link MAX_INCIDENTS}. */
function pruneIncidents(list: IncidentList): void {
  const rows = list.children.filter((c) => c !== list.data.empty) as IncidentRow[];
  for (let i = rows.length - 1; i >= 0 && rows.length > MAX_INCIDENTS; i--) {
    if (!rows[i].data.resolvedAt) continue;
    list.remove(rows[i]);
    rows.splice(i, 1);
  }
}
