import { EventCost, topCommands } from './redis-cost';
import { cell, ok, ratio, Row, TARGETS, verdict } from './rows';
import { StoreCostResult, StoreCostRun } from './scenarios/store-cost';

/** One kind of event on both systems, with the words that name it in the table. */
interface Compared {
  /** short name of the event, for the detail table */
  what: string;
  on: string;
  pushpage: StoreCostRun;
  bare: StoreCostRun | undefined;
  /** events per second of the measured windows (runs under load), printed beside the costs */
  eventsPerSec?: { pushpage: number; bare: number | undefined };
}

function compared(result: StoreCostResult | undefined): Compared[] {
  const out: Compared[] = [];
  const socket = ok(result?.socket.pushpage);
  if (socket)
    out.push({
      what: 'socket event',
      on:
        `Store cost, socket event (message board, ${socket.tabs} tabs, ` +
        `board ${socket.boardStart}→${socket.boardEnd} msgs, one at a time)`,
      pushpage: socket,
      bare: ok(result?.socket.bare),
    });
  const rest = ok(result?.rest);
  if (rest)
    out.push({
      what: 'REST click',
      on: 'Store cost, REST click on /hello (one at a time; baseline: the bare REST server)',
      pushpage: rest.pushpage,
      bare: rest.bare,
    });
  const loaded = ok(rest?.loaded.pushpage);
  if (loaded) {
    const bare = ok(rest?.loaded.bare);
    out.push({
      what: `REST click, ${loaded.pages} pages at once`,
      on:
        `Store cost, REST click on /hello (${loaded.pages} pages clicked concurrently; ` +
        'baseline: the bare REST server)',
      pushpage: loaded,
      bare,
      eventsPerSec: { pushpage: loaded.eventsPerSec, bare: bare?.eventsPerSec },
    });
  }
  return out;
}

function figure(
  measure: string,
  value: (c: EventCost) => number,
  { pushpage, bare }: Compared,
  decimals: number,
  target?: { limit: number; unit: string },
): Row {
  const p = value(pushpage.cost);
  const b = bare ? value(bare.cost) : undefined;
  return {
    measure,
    pushpage: cell(p, decimals),
    baseline: cell(b, decimals),
    ratio: ratio(p, b),
    target: target ? `≤ ${target.limit}${target.unit}` : '',
    result: target ? verdict(p, target.limit, 'lower') : '',
  };
}

/** The rows of the store-cost scenario: per event, Pushpage beside its baseline. */
export function storeCostRows(result: StoreCostResult | undefined): Row[] {
  return compared(result).flatMap((c) => [
    figure(`${c.on}: Redis commands per event (sent + run by scripts)`, (e) => e.commands, c, 1, {
      limit: TARGETS.storeCommandsPerEvent,
      unit: '',
    }),
    figure(`${c.on}: of which sent by the servers`, (e) => e.sentCommands, c, 2),
    figure(
      `${c.on}: µs inside Redis per event (commands sent; each µs once)`,
      (e) => e.usec,
      c,
      0,
      { limit: TARGETS.storeUsecPerEvent, unit: ' µs' },
    ),
    figure(
      `${c.on}: of which EVALSHA/EXEC beyond the commands they ran (µs)`,
      (e) => e.usecContainers - e.usecInContainers,
      c,
      0,
    ),
    figure(
      `${c.on}: for reference, all commandstats µs added up (what EVALSHA/EXEC ran counted twice)`,
      (e) => e.usecSummed,
      c,
      0,
    ),
    figure(`${c.on}: Redis CPU per event (ms)`, (e) => e.cpuMs, c, 3),
    figure(
      `${c.on}: ceiling per Redis core from command time (events/s)`,
      (e) => e.ceilingFromUsec,
      c,
      0,
    ),
    figure(
      `${c.on}: ceiling per Redis core from CPU time (events/s)`,
      (e) => e.ceilingFromCpu,
      c,
      0,
    ),
    {
      measure: `${c.on}: top commands per event`,
      pushpage: topCommands(c.pushpage.cost),
      baseline: c.bare ? topCommands(c.bare.cost) : 'n/a',
      ratio: '',
      target: '',
      result: '',
    },
    ...(c.eventsPerSec
      ? [
          {
            measure: `${c.on}: events/s achieved in the measured window (not a target)`,
            pushpage: cell(c.eventsPerSec.pushpage),
            baseline: cell(c.eventsPerSec.bare),
            ratio: ratio(c.eventsPerSec.pushpage, c.eventsPerSec.bare),
            target: '',
            result: '',
          },
        ]
      : []),
  ]);
}

/** Every command per event of every store-cost run: calls and µs, and the part run inside. */
export function storeCostDetail(result: StoreCostResult | undefined): string {
  const runs: { label: string; run: StoreCostRun }[] = [];
  for (const { what, pushpage, bare } of compared(result)) {
    runs.push({ label: `Pushpage, ${what}`, run: pushpage });
    if (bare) runs.push({ label: `Baseline, ${what}`, run: bare });
  }
  if (runs.length === 0) return '';
  const lines = [
    '| Per event | Command | Calls | of which run by scripts | µs | of which also in EVALSHA/EXEC |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const { label, run } of runs) {
    // commands left over from the background at under one call per 200 events are not shown
    for (const c of run.cost.byCommand.filter((c) => c.calls >= 0.005))
      lines.push(
        `| ${label} | ${c.command.toUpperCase()} | ${c.calls.toFixed(2)} | ${c.callsByScripts.toFixed(2)} | ` +
          `${c.usec.toFixed(1)} | ${c.usecInContainers.toFixed(1)} |`,
      );
    const b = run.cost.background;
    lines.push(
      `| ${label} | (background subtracted: idle rate × window) | ${b.commands.toFixed(2)} | | ` +
        `${b.usec.toFixed(1)} | |`,
    );
  }
  return lines.join('\n');
}
