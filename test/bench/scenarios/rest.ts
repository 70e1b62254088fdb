import { BenchConfig } from '../config';
import { log } from '../harness';
import { mergeResults, runHttpWorker } from '../http-load';
import { ClickTarget } from '../http-protocol';
import { SystemKind } from '../protocol';
import { openPage, RestBench, windowOf, withRestBench } from '../rest-system';
import { Summary, summarize } from '../stats';

/** REST events of one system: many clients clicking on their own /hello pages. */
export interface RestRun {
  kind: SystemKind;
  clients: number;
  eventsPerSec: number;
  latency: Summary;
  failures: number;
  /** CPU of both servers per event, ms */
  serverCpuMsPerEvent: number;
  /** Redis commands per event (total_commands_processed) */
  redisCommandsPerEvent: number;
}

export interface RestResult {
  pushpage: RestRun;
  bare: RestRun;
}

/** A /hello page opened over REST, and the components on it that listen to clicks. */
export interface OpenedPage {
  pageId: string;
  cookie: string;
  componentIds: string[];
}

/** Opens `count` /hello pages over REST, alternating replicas, 10 at a time. */
export async function openHelloPages(urls: string[], count: number): Promise<OpenedPage[]> {
  const pages: OpenedPage[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      openPage(urls[(i + j) % urls.length], '/hello'),
    );
    for (const page of await Promise.all(batch)) {
      const componentIds = (page.tree.children ?? [])
        .filter((c) => c.events?.includes('click'))
        .map((c) => c.id);
      if (componentIds.length === 0) throw new Error(`page ${page.pageId} has nothing to click`);
      pages.push({ pageId: page.pageId, cookie: page.cookie, componentIds });
    }
  }
  return pages;
}

/**
 * Starts two servers of `kind` (Pushpage with `env`) and clicks `pages` for `durationMs`
 * after a one-second warm-up: throughput, latency, CPU and Redis per event.
 */
export async function clickRun(
  bench: RestBench,
  kind: SystemKind,
  pages: OpenedPage[],
  durationMs: number,
  workers: number,
  env: Record<string, string> = {},
): Promise<RestRun> {
  const { urls } = await bench.use(kind, env);
  const path = kind === 'pushpage' ? '/api/pages' : '/bare/pages';
  const targets: ClickTarget[] = pages.map((p, i) => ({
    url: `${urls[i % urls.length]}${path}/${p.pageId}/events`,
    cookie: p.cookie,
    componentIds: p.componentIds,
  }));
  // a short warm-up, then the measured run
  const split = (d: number) =>
    Array.from({ length: workers }, (_, w) =>
      runHttpWorker(
        { op: 'clicks', targets: targets.filter((_, i) => i % workers === w), durationMs: d },
        d + 60_000,
      ),
    );
  await Promise.all(split(1_000));
  const before = await bench.sample();
  const result = mergeResults(await Promise.all(split(durationMs)));
  const after = await bench.sample();
  const w = windowOf(before, after);
  const events = result.latencies.length;
  const run: RestRun = {
    kind,
    clients: pages.length,
    eventsPerSec: events / (durationMs / 1000),
    latency: summarize(result.latencies),
    failures: result.failures,
    serverCpuMsPerEvent: (w.cpuPercent * w.seconds * 10) / events,
    redisCommandsPerEvent: w.redisCommands / events,
  };
  log(
    `rest ${kind}: ${events} events by ${pages.length} clients, ` +
      `${run.eventsPerSec.toFixed(0)}/s, p50 ${run.latency.p50.toFixed(2)} ms, ` +
      `p99 ${run.latency.p99.toFixed(2)} ms, ${result.failures} failures` +
      (result.firstError ? ` (first: ${result.firstError})` : ''),
  );
  return run;
}

/**
 * `config.rest.clients` keep-alive clients, each with its own /hello page (opened through
 * the Pushpage replicas, half on each), click for `durationMs`, one event at a time, back to
 * back. Then the replicas stop and the bare REST servers do the same with the same pages.
 */
export function measureRest(config: BenchConfig): Promise<RestResult> {
  const { clients, durationMs, workers } = config.rest;
  return withRestBench(async (bench) => {
    const { urls } = await bench.use('pushpage');
    const pages = await openHelloPages(urls, clients);
    const pushpage = await clickRun(bench, 'pushpage', pages, durationMs, workers);
    const bare = await clickRun(bench, 'bare', pages, durationMs, workers);
    return { pushpage, bare };
  });
}
