import { Div, Icon, Span } from 'pushpage';
import { Health, MonitoredService, Sample } from './fleet.service';

/** What a service tile keeps: the parts a sample changes, the last sample, its open incident. */
export type TileData = {
  health: Span;
  latency: Span;
  errors: Span;
  /** The last sample, from which the next one walks on. */
  sample?: Sample;
  /** The id of the service's open incident row, while it has one. */
  incidentId?: string;
};

/** A service tile: a shared element, one per service, changed by the sampler only. */
export type Tile = Div<TileData>;

const HEALTH_LOOK: Record<Health, { label: string; border: string; badge: string }> = {
  ok: { label: 'OK', border: 'border-emerald-500', badge: 'bg-emerald-100 text-emerald-800' },
  degraded: { label: 'Degraded', border: 'border-amber-400', badge: 'bg-amber-100 text-amber-800' },
  critical: { label: 'Critical', border: 'border-red-600', badge: 'bg-red-600 text-white' },
};

/** A labelled figure of a tile: `p95 latency`, the value, its limit. */
function figure(parent: Div, label: string, limit: string, metric: string): Span {
  const box = new Div({ parent });
  new Div({ text: label, classes: 'text-xs uppercase tracking-wide text-slate-500', parent: box });
  const value = new Span({
    text: '…',
    classes: 'font-mono text-2xl font-semibold text-slate-800',
    attrs: { 'data-metric': metric },
    parent: box,
  });
  new Div({ text: limit, classes: 'text-xs text-slate-400', parent: box });
  return value;
}

/** A new tile for a service, waiting for its first sample. */
export function buildTile(service: MonitoredService): Tile {
  const tile: Tile = new Div({
    classes: 'rounded-xl border-l-8 border-slate-300 bg-white p-4 shadow-sm',
    attrs: { 'data-service': service.id },
  });
  const head = new Div({ classes: 'flex items-center gap-2', parent: tile });
  new Icon({ icon: service.icon, classes: 'text-slate-500', parent: head });
  new Span({ text: service.name, classes: 'font-semibold text-slate-800', parent: head });
  tile.data.health = new Span({
    text: 'waiting',
    classes:
      'ml-auto rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap bg-slate-100 text-slate-600',
    attrs: { 'data-role': 'health' },
    parent: head,
  });
  const figures = new Div({ classes: 'mt-4 grid grid-cols-2 gap-3', parent: tile });
  tile.data.latency = figure(
    figures,
    'p95 latency',
    `limit ${service.latencyLimitMs} ms`,
    'latency',
  );
  tile.data.errors = figure(figures, 'errors', `limit ${service.errorLimitPct} %`, 'errors');
  return tile;
}

/** Shows a sample on its tile: figures, colours and the health badge. */
export function showSample(
  tile: Tile,
  service: MonitoredService,
  sample: Sample,
  health: Health,
): void {
  const look = HEALTH_LOOK[health];
  const over = (value: number, limit: number) =>
    value > limit ? 'text-red-600' : 'text-slate-800';
  tile.data.sample = sample;
  tile.data.latency.text = `${sample.latencyMs} ms`;
  tile.data.latency.setClass(over(sample.latencyMs, service.latencyLimitMs));
  tile.data.errors.text = `${sample.errorPct.toFixed(2)} %`;
  tile.data.errors.setClass(over(sample.errorPct, service.errorLimitPct));
  if (tile.data.health.text !== look.label) {
    tile.data.health.text = look.label;
    tile.data.health.setClasses(look.badge);
    tile.setClass(look.border);
  }
}
