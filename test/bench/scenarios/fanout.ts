import { sleep, withTimeout } from '../clock';
import { BenchConfig } from '../config';
import { COMMAND_TIMEOUT_MS, log, withSystem } from '../harness';
import { CpuProfile, startProfile } from '../profile';
import { rssKb } from '../proc';
import { SystemKind } from '../protocol';
import { Summary, summarize } from '../stats';
import { System } from '../systems';
import { ClientWorker } from '../workers';

/** Server memory before and after connecting a step's tabs. */
export interface MemoryStep {
  /** tabs connected in this step */
  tabs: number;
  /** RSS of both servers together, KiB */
  beforeKb: number;
  afterKb: number;
  perTabKb: number;
}

/** Fan-out of board updates to `tabs` tabs. */
export interface FanoutStep {
  tabs: number;
  /** send → the last tab has the update, ms */
  lastTab: Summary;
  /** tabs / mean time to the last tab */
  deliveriesPerSec: number;
  memory: MemoryStep;
  /** CPU per update of the servers, Redis and the client workers */
  profile: CpuProfile;
}

/** The fan-out scenario: one result per size. */
export interface FanoutResult {
  kind: SystemKind;
  steps: FanoutStep[];
  /** from before the first tab connects to after the last: all tabs, every step */
  memory: MemoryStep;
}

function serversRss(system: System): number {
  return system.pids.map(rssKb).reduce((a, b) => a + b, 0);
}

/** Splits `total` into `parts` near-equal whole numbers. */
function split(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  );
}

/** Adds `count` tabs: each worker loads its share, half on each server. */
async function loadTabs(
  kind: SystemKind,
  system: System,
  workers: ClientWorker[],
  count: number,
  concurrency: number,
): Promise<void> {
  const lanes = Math.max(1, Math.floor(concurrency / (workers.length * system.urls.length)));
  await Promise.all(
    split(count, workers.length).map(async (share, w) => {
      const perServer = split(share, system.urls.length);
      for (let s = 0; s < system.urls.length; s++) {
        const url = system.urls[s];
        await workers[w].call(
          { op: 'load', kind, url, count: perServer[s], concurrency: lanes },
          COMMAND_TIMEOUT_MS,
        );
      }
    }),
  );
}

/** Resolves with the time the last tab of any worker got the first board version above `after`. */
function allDelivered(workers: ClientWorker[], after: number): Promise<number> {
  let stops: (() => void)[] = [];
  const promise = new Promise<number>((resolve) => {
    const lastAt = new Map<ClientWorker, number>();
    stops = workers.map((w) =>
      w.onDelivered((d) => {
        if (d.v <= after || lastAt.has(w)) return;
        lastAt.set(w, d.lastAt);
        if (lastAt.size === workers.length) resolve(Math.max(...lastAt.values()));
      }),
    );
  });
  return withTimeout(promise, 60_000, `a board update reaching every tab`).finally(() =>
    stops.forEach((stop) => stop()),
  );
}

/**
 * Tabs split over both servers and over the client workers; tab 0 of worker 1 (server 1)
 * posts a message, and the time until every tab has it is measured, a few times per size.
 * Before and after connecting each step's tabs, the servers' RSS is read.
 */
export function measureFanout(kind: SystemKind, config: BenchConfig): Promise<FanoutResult> {
  const { sizes, updates, workers: workerCount, concurrency, settleMs, pauseMs } = config.fanout;
  return withSystem(kind, workerCount, async (system, workers) => {
    const t = COMMAND_TIMEOUT_MS;
    const steps: FanoutStep[] = [];
    let firstBeforeKb = NaN;
    await workers[0].call({ op: 'load', kind, url: system.urls[0], count: 1, concurrency: 1 }, t);
    let total = 1;
    let version = 0;
    for (const size of sizes) {
      const adding = size - total;
      log(`fan-out ${kind}: loading ${adding} more pages (${size} in all)`);
      if (adding > 0) await loadTabs(kind, system, workers, adding, concurrency);
      await sleep(settleMs);
      const beforeKb = serversRss(system);
      if (steps.length === 0) firstBeforeKb = beforeKb;
      log(`fan-out ${kind}: connecting ${size} tabs`);
      const lanes = Math.max(1, Math.floor(concurrency / workers.length));
      const opened = await Promise.all(
        workers.map((w) => w.call({ op: 'connect', concurrency: lanes }, t)),
      );
      const connectedTabs = opened.reduce((a, o) => a + o.tabs, 0);
      const connectedNow = size === sizes[0] ? connectedTabs : adding;
      await sleep(settleMs);
      const afterKb = serversRss(system);
      version = Math.max(version, ...opened.map((o) => o.boardVersion));
      await Promise.all(workers.map((w) => w.call({ op: 'watch', on: true }, t)));
      const times: number[] = [];
      const profile = await startProfile(
        system,
        workers.map((w) => w.pid),
      );
      for (let u = 0; u < updates; u++) {
        const delivered = allDelivered(workers, version);
        const sent = await workers[0].call({ op: 'send', tab: 0, seq: version + 1 }, t);
        times.push((await delivered) - sent.sentAt);
        version++;
        await sleep(pauseMs);
      }
      const cpu = await profile.finish(updates);
      await Promise.all(workers.map((w) => w.call({ op: 'watch', on: false }, t)));
      const lastTab = summarize(times);
      const step: FanoutStep = {
        tabs: connectedTabs,
        lastTab,
        deliveriesPerSec: (connectedTabs / lastTab.mean) * 1000,
        memory: {
          tabs: connectedNow,
          beforeKb,
          afterKb,
          perTabKb: (afterKb - beforeKb) / connectedNow,
        },
        profile: cpu,
      };
      steps.push(step);
      total = size;
      log(
        `fan-out ${kind} @${connectedTabs} tabs: last tab after ${lastTab.mean.toFixed(1)} ms ` +
          `(max ${lastTab.max.toFixed(1)}), ${step.deliveriesPerSec.toFixed(0)} deliveries/s; ` +
          `servers RSS ${(beforeKb / 1024).toFixed(1)} → ${(afterKb / 1024).toFixed(1)} MiB, ` +
          `${step.memory.perTabKb.toFixed(1)} KiB per tab`,
      );
    }
    const last = steps[steps.length - 1];
    const memory: MemoryStep = {
      tabs: last.tabs,
      beforeKb: firstBeforeKb,
      afterKb: last.memory.afterKb,
      perTabKb: (last.memory.afterKb - firstBeforeKb) / last.tabs,
    };
    log(
      `fan-out ${kind}: ${memory.perTabKb.toFixed(1)} KiB of server RSS per tab over all ${last.tabs}`,
    );
    return { kind, steps, memory };
  });
}
