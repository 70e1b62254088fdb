import { BenchConfig } from './config';
import { BoardResult } from './scenarios/board';
import { ClusterSpreadResult } from './scenarios/cluster-spread';
import { ChartResult } from './scenarios/chart';
import { FanoutResult } from './scenarios/fanout';
import { LatencyResult } from './scenarios/latency';
import { PollingResult } from './scenarios/polling';
import { RestResult, RestRun } from './scenarios/rest';
import { StoreCostResult } from './scenarios/store-cost';
import { TracingResult } from './scenarios/tracing';
import { fmt } from './stats';

/** JustPy resends the whole board: about 33 KB with 20 messages (the issue's reference). */
export const JUSTPY_BOARD_BYTES_AT_20 = 33_000;

/** Targets from the issue; printed as PASS or MISS, never asserted. */
export const TARGETS = {
  latencyP99Ms: 3,
  boardDeliveriesPerSec: 40_000,
  boardP99Ms: 15,
  bytesPerMessage: 500,
  fanoutVsBare: 0.5,
  memoryVsBare: 2,
  /** Redis commands per event (sent and run inside scripts), and µs inside Redis per event */
  storeCommandsPerEvent: 8,
  storeUsecPerEvent: 100,
  /** a Redis Cluster's ceiling over one node's, 3 masters (a perfect spread is 3×) */
  clusterCeilingVsOneNode: 2.5,
};

/** Everything the bench measured; a scenario that failed is an Error. */
export interface BenchResults {
  latency: { pushpage?: LatencyResult | Error; bare?: LatencyResult | Error };
  board: { pushpage: (BoardResult | Error)[]; bare?: BoardResult | Error };
  fanout: { pushpage?: FanoutResult | Error; bare?: FanoutResult | Error };
  /** REST events and polling: both systems in one scenario, so one result (or failure) */
  rest?: RestResult | Error;
  polling?: PollingResult | Error;
  /** what one event costs inside Redis: socket event and REST click, each on both systems */
  storeCost?: StoreCostResult;
  /** a live chart's ticks: the new point only, beside the whole option tree */
  chart?: ChartResult | Error;
  /** events spread over many pages on a Redis Cluster, node by node */
  clusterSpread?: ClusterSpreadResult | Error;
  /** REST events with tracing on, beside the same with tracing off */
  tracing?: TracingResult | Error;
}

/** One line of the results table. */
export interface Row {
  measure: string;
  pushpage: string;
  baseline: string;
  ratio: string;
  target: string;
  result: string;
}

type Maybe<T> = T | Error | undefined;

/** The value of a scenario that did not fail. */
export function ok<T>(value: Maybe<T>): T | undefined {
  return value instanceof Error ? undefined : value;
}

/** Pushpage's figure as a multiple of the baseline's, or n/a. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a / b)) return 'n/a';
  const r = a / b;
  return `${r < 0.1 ? r.toPrecision(2) : r.toFixed(2)}×`;
}

/** PASS, or MISS with how far the value is from the target (in % of the target). */
export function verdict(
  value: number | undefined,
  target: number,
  better: 'lower' | 'higher',
): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  const pass = better === 'lower' ? value <= target : value >= target;
  if (pass) return 'PASS';
  const off = ((value - target) / target) * 100;
  return `MISS (${off > 0 ? '+' : ''}${off.toFixed(0)}%)`;
}

/** A number for a cell, or n/a. */
export function cell(value: number | undefined, decimals = 0): string {
  return value === undefined ? 'n/a' : fmt(value, decimals);
}

function latencyRows(r: BenchResults): Row[] {
  const p = ok(r.latency.pushpage)?.observer;
  const b = ok(r.latency.bare)?.observer;
  return [
    {
      measure: 'Cross-replica event→update latency, light load: p50 (ms)',
      pushpage: cell(p?.p50, 2),
      baseline: cell(b?.p50, 2),
      ratio: ratio(p?.p50, b?.p50),
      target: '',
      result: '',
    },
    {
      measure: 'Cross-replica event→update latency, light load: p99 (ms)',
      pushpage: cell(p?.p99, 2),
      baseline: cell(b?.p99, 2),
      ratio: ratio(p?.p99, b?.p99),
      target: `≤ ${TARGETS.latencyP99Ms} ms`,
      result: verdict(p?.p99, TARGETS.latencyP99Ms, 'lower'),
    },
  ];
}

function boardRows(r: BenchResults, config: BenchConfig): Row[] {
  const bare = ok(r.board.bare);
  const rows: Row[] = [];
  for (const entry of r.board.pushpage) {
    const p = ok(entry);
    if (!p) continue;
    const ps = p.sequential;
    const board = `board ${ps.boardStart}→${ps.boardEnd} msgs`;
    const bs = bare?.sequential;
    rows.push(
      {
        measure: `Message board, ${p.tabs} tabs, ${board}, one at a time: deliveries/s`,
        pushpage: cell(ps.deliveriesPerSec),
        baseline: cell(bs?.deliveriesPerSec),
        ratio: ratio(ps.deliveriesPerSec, bs?.deliveriesPerSec),
        target: `≥ ${fmt(TARGETS.boardDeliveriesPerSec)}/s`,
        result: verdict(ps.deliveriesPerSec, TARGETS.boardDeliveriesPerSec, 'higher'),
      },
      {
        measure: `Message board, ${p.tabs} tabs, ${board}, one at a time: p99 send→last tab (ms)`,
        pushpage: cell(ps.lastTab.p99, 2),
        baseline: cell(bs?.lastTab.p99, 2),
        ratio: ratio(ps.lastTab.p99, bs?.lastTab.p99),
        target: `≤ ${TARGETS.boardP99Ms} ms`,
        result: verdict(ps.lastTab.p99, TARGETS.boardP99Ms, 'lower'),
      },
    );
    if (p.pipelined) {
      const pp = p.pipelined;
      const bp = bare?.pipelined;
      const onBoard = `board ${pp.boardStart}→${pp.boardEnd} msgs`;
      const inFlight = `pipelined (${config.board.pipelined.window} in flight)`;
      rows.push(
        {
          measure: `Message board, ${p.tabs} tabs, ${onBoard}, ${inFlight}: deliveries/s`,
          pushpage: cell(pp.deliveriesPerSec),
          baseline: cell(bp?.deliveriesPerSec),
          ratio: ratio(pp.deliveriesPerSec, bp?.deliveriesPerSec),
          target: '',
          result: '',
        },
        {
          measure: `Message board, ${p.tabs} tabs, ${onBoard}, ${inFlight}: p99 send→last tab (ms)`,
          pushpage: cell(pp.lastTab.p99, 2),
          baseline: cell(bp?.lastTab.p99, 2),
          ratio: ratio(pp.lastTab.p99, bp?.lastTab.p99),
          target: '',
          result: '',
        },
      );
    }
  }
  return rows;
}

function bytesRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  for (const entry of r.board.pushpage) {
    const p = ok(entry);
    if (!p) continue;
    const justpy = (JUSTPY_BOARD_BYTES_AT_20 * p.boardStart) / 20;
    rows.push({
      measure: `Bytes pushed per new message (observer's patch JSON), board ${p.boardStart} msgs`,
      pushpage: `${cell(p.patchBytes.mean)} (max ${cell(p.patchBytes.max)})`,
      baseline:
        `JustPy ≈${fmt(justpy)}${p.boardStart === 20 ? '' : ' (scaled from 33 KB @20)'}; ` +
        `whole board here ${fmt(p.wholeBoardBytes)}`,
      ratio: ratio(p.patchBytes.mean, justpy),
      target: `≤ ${TARGETS.bytesPerMessage} B`,
      result: verdict(p.patchBytes.max, TARGETS.bytesPerMessage, 'lower'),
    });
  }
  return rows;
}

function fanoutRows(r: BenchResults): Row[] {
  const p = ok(r.fanout.pushpage);
  const b = ok(r.fanout.bare);
  const rows: Row[] = [];
  for (const [i, step] of (p?.steps ?? []).entries()) {
    const base = b?.steps[i];
    const vs = base ? step.deliveriesPerSec / base.deliveriesPerSec : undefined;
    rows.push(
      {
        measure: `Fan-out of one update to ${fmt(step.tabs)} tabs (2 replicas): deliveries/s`,
        pushpage: cell(step.deliveriesPerSec),
        baseline: cell(base?.deliveriesPerSec),
        ratio: ratio(step.deliveriesPerSec, base?.deliveriesPerSec),
        target: `≥ ${TARGETS.fanoutVsBare}× bare`,
        result: verdict(vs, TARGETS.fanoutVsBare, 'higher'),
      },
      {
        measure: `Fan-out to ${fmt(step.tabs)} tabs: send→last tab, mean of ${step.lastTab.count} (ms)`,
        pushpage: cell(step.lastTab.mean, 1),
        baseline: cell(base?.lastTab.mean, 1),
        ratio: ratio(step.lastTab.mean, base?.lastTab.mean),
        target: '',
        result: '',
      },
    );
  }
  if (p) {
    const m = p.steps[p.steps.length - 1].memory;
    const base = b?.steps[b.steps.length - 1]?.memory;
    const vs = base ? m.perTabKb / base.perTabKb : undefined;
    const earlier = p.steps
      .slice(0, -1)
      .map((s, i) => {
        const bs = b?.steps[i]?.memory;
        return `${fmt(s.memory.tabs)} tabs: ${fmt(s.memory.perTabKb, 1)} vs ${cell(bs?.perTabKb, 1)}`;
      })
      .join('; ');
    rows.push(
      {
        measure:
          `Server memory per idle tab (RSS growth of both servers while ${fmt(m.tabs)} more tabs ` +
          `connect, ÷ tabs, KiB)${earlier ? ` (earlier step, ${earlier})` : ''}`,
        pushpage: cell(m.perTabKb, 1),
        baseline: cell(base?.perTabKb, 1),
        ratio: ratio(m.perTabKb, base?.perTabKb),
        target: `≤ ${TARGETS.memoryVsBare}× bare`,
        result: verdict(vs, TARGETS.memoryVsBare, 'lower'),
      },
      {
        measure:
          `Server RSS growth per tab including its page load, from the first connect to ` +
          `${fmt(p.memory.tabs)} tabs (KiB)`,
        pushpage: cell(p.memory.perTabKb, 1),
        baseline: cell(b?.memory.perTabKb, 1),
        ratio: ratio(p.memory.perTabKb, b?.memory.perTabKb),
        target: '',
        result: '',
      },
    );
  }
  return rows;
}

/** A row without target: Pushpage, baseline, ratio. */
function plain(measure: string, p: number, b: number, decimals = 0): Row {
  return {
    measure,
    pushpage: cell(p, decimals),
    baseline: cell(b, decimals),
    ratio: ratio(p, b),
    target: '',
    result: '',
  };
}

function restRows(r: BenchResults): Row[] {
  const rest = ok(r.rest);
  if (!rest) return [];
  const { pushpage: p, bare: b } = rest;
  const on = `REST events, ${p.clients} keep-alive clients on own /hello pages (2 servers)`;
  return [
    plain(`${on}: events/s`, p.eventsPerSec, b.eventsPerSec),
    plain(`${on}: p50 latency (ms)`, p.latency.p50, b.latency.p50, 2),
    plain(`${on}: p99 latency (ms)`, p.latency.p99, b.latency.p99, 2),
    plain(`${on}: servers' CPU per event (ms)`, p.serverCpuMsPerEvent, b.serverCpuMsPerEvent, 2),
    plain(`${on}: Redis commands per event`, p.redisCommandsPerEvent, b.redisCommandsPerEvent, 1),
  ];
}

/** Tracing on (the Pushpage column) against tracing off (the baseline column). */
export function tracingRows(result: TracingResult | Error | undefined): Row[] {
  const tracing = ok(result);
  if (!tracing) return [];
  const { on, sampled, off } = tracing;
  const against = (run: RestRun, what: string): Row[] => [
    plain(`${what}: events/s`, run.eventsPerSec, off.eventsPerSec),
    plain(`${what}: p50 latency (ms)`, run.latency.p50, off.latency.p50, 2),
    plain(`${what}: p99 latency (ms)`, run.latency.p99, off.latency.p99, 2),
    plain(
      `${what}: servers' CPU per event (ms)`,
      run.serverCpuMsPerEvent,
      off.serverCpuMsPerEvent,
      2,
    ),
  ];
  const clients = `${on.clients} clients (baseline: tracing off)`;
  return [
    ...against(on, `REST events with every trace exported, ${clients}`),
    plain(`REST events with every trace exported: spans per event`, tracing.spansPerEvent, 0, 1),
    ...against(sampled, `REST events with one trace in ten exported, ${clients}`),
    ...against(tracing.offAgain, `REST events with tracing off again, last, ${clients}`),
  ];
}

function pollingRows(r: BenchResults, config: BenchConfig): Row[] {
  const polling = ok(r.polling);
  if (!polling) return [];
  const { pushpage: p, bare: b } = polling;
  const every = (config.polling.intervalMs / 1000).toFixed(1);
  const on = `Polling, ${fmt(p.clients)} clients every ${every} s with If-None-Match (2 servers)`;
  return [
    plain(`${on}: servers' CPU (% of one core, both servers)`, p.cpuPercent, b.cpuPercent, 1),
    plain(`${on}: Redis commands/s`, p.redisOpsPerSec, b.redisOpsPerSec),
    plain(`${on}: 304 share of replies (%)`, p.notModifiedPercent, b.notModifiedPercent, 1),
    plain(`${on}: p99 latency of a poll (ms)`, p.latency.p99, b.latency.p99, 2),
    plain(`${on}: polls counted`, p.polls, b.polls),
  ];
}

/** Every row of the results table, in the issue's order. */
export function resultRows(r: BenchResults, config: BenchConfig): Row[] {
  return [
    ...latencyRows(r),
    ...boardRows(r, config),
    ...bytesRows(r),
    ...fanoutRows(r),
    ...restRows(r),
    ...pollingRows(r, config),
  ];
}
