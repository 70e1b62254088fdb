import { Injectable } from '@nestjs/common';
import { Button, Div, HandlerRef, Icon, Span } from 'pushpage';
import { Health, MonitoredService, Sample } from './fleet.service';

/**
 * What an incident row keeps: references to the parts that change, and its state. Each
 * field has one writer, so the sampler and the acknowledge handler (which may run on
 * different replicas at the same moment) never overwrite each other: `acknowledgedAt`,
 * the row's colours, `icon`, `state` and the button belong to acknowledging;
 * `resolvedAt` and `resolution` to the sampler.
 */
export type IncidentData = {
  serviceId: string;
  icon: Icon;
  state: Span;
  resolution: Span;
  button: AckButton;
  /** ISO time of the acknowledgement, once acknowledged. */
  acknowledgedAt?: string;
  /** ISO time the service recovered, once it has. */
  resolvedAt?: string;
};

/** One incident in the shared incident list. */
export type IncidentRow = Div<IncidentData>;

/** The "Acknowledge" button of a row, which knows its row. */
export type AckButton = Button<{ row: IncidentRow }>;

/** `10:15:03`, in the server's time zone. */
export function timeOfDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * Decides when incidents open and resolve, words them, and builds and changes their rows.
 * The rows are Pushpage components (their state is in their data), so any replica can
 * acknowledge an incident another replica opened.
 */
@Injectable()
export class IncidentService {
  /** A critical sample opens an incident, unless the service has one open already. */
  shouldOpen(health: Health, openIncident: string | undefined): boolean {
    return health === 'critical' && openIncident === undefined;
  }

  /** An open incident resolves once its service is back to `ok` (not merely below its limit). */
  shouldResolve(health: Health, openIncident: string | undefined): openIncident is string {
    return health === 'ok' && openIncident !== undefined;
  }

  /** `Payments: p95 latency 612 ms (limit 400 ms)`: what is over its limit. */
  describe(service: MonitoredService, sample: Sample): string {
    const over: string[] = [];
    if (sample.latencyMs > service.latencyLimitMs)
      over.push(`p95 latency ${sample.latencyMs} ms (limit ${service.latencyLimitMs} ms)`);
    if (sample.errorPct > service.errorLimitPct)
      over.push(`error rate ${sample.errorPct.toFixed(2)} % (limit ${service.errorLimitPct} %)`);
    return `${service.name}: ${over.join(', ') || 'over its limits'}`;
  }

  /** A new, unacknowledged incident row; its button runs `acknowledge` when clicked. */
  open(
    service: MonitoredService,
    sample: Sample,
    at: Date,
    acknowledge: HandlerRef<AckButton>,
  ): IncidentRow {
    const row: IncidentRow = new Div({
      classes: 'flex items-center gap-4 rounded-lg border p-3 bg-red-50 border-red-200',
      attrs: { 'data-role': 'incident', 'data-service': service.id },
    });
    const icon = new Icon({ icon: 'bell', classes: 'text-xl text-red-600', parent: row });
    const body = new Div({ classes: 'flex-1 min-w-0', parent: row });
    new Div({ text: this.describe(service, sample), classes: 'font-medium', parent: body });
    const meta = new Div({ classes: 'text-xs text-slate-500', parent: body });
    new Span({ text: `opened ${timeOfDay(at)} · `, parent: meta });
    const resolution = new Span({
      text: 'ongoing',
      classes: 'font-medium text-red-600',
      attrs: { 'data-role': 'resolution' },
      parent: meta,
    });
    const state = new Span({
      text: 'Unacknowledged',
      classes:
        'rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap bg-red-600 text-white',
      attrs: { 'data-role': 'ack-state' },
      parent: row,
    });
    const button: AckButton = new Button({
      classes:
        'flex items-center gap-2 rounded-md px-3 py-1.5 text-sm text-white bg-slate-800 hover:bg-slate-600',
      attrs: { 'data-action': 'acknowledge' },
      click: acknowledge,
      parent: row,
    });
    new Icon({ icon: 'check', parent: button });
    new Span({ text: 'Acknowledge', parent: button });
    button.data.row = row;
    row.data.serviceId = service.id;
    row.data.icon = icon;
    row.data.state = state;
    row.data.resolution = resolution;
    row.data.button = button;
    return row;
  }

  /**
   * Marks an incident acknowledged: quieter colours, who-knows-it text, no button. Returns
   * `false` (and changes nothing) if it already was.
   */
  acknowledge(row: IncidentRow, at: Date): boolean {
    if (row.data.acknowledgedAt) return false;
    row.data.acknowledgedAt = at.toISOString();
    row.setClasses('bg-white border-slate-200');
    row.data.icon.icon = 'user-check';
    row.data.icon.setClass('text-slate-400');
    row.data.state.text = `Acknowledged ${timeOfDay(at)}`;
    row.data.state.setClasses('bg-slate-200 text-slate-700');
    row.data.button.show = false;
    return true;
  }

  /** Marks an incident resolved: its service is back to normal. */
  resolve(row: IncidentRow, at: Date): void {
    row.data.resolvedAt = at.toISOString();
    row.data.resolution.text = `resolved ${timeOfDay(at)}`;
    row.data.resolution.setClass('text-emerald-600');
  }
}
