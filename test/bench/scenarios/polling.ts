import { BenchConfig } from '../config';
import { nowMs, sleep } from '../clock';
import { log } from '../harness';
import { mergeResults, runHttpWorker } from '../http-load';
import { PollTarget } from '../http-protocol';
import { SystemKind } from '../protocol';
import { openPage, RestBench, windowOf, withRestBench } from '../rest-system';
import { Summary, summarize } from '../stats';

/** Polling of the shared dashboard by one system. */
export interface PollingRun {
  kind: SystemKind;
  clients: number;
  polls: number;
  /** CPU of both servers over the window, % of one core (two cores: up to 200 %) */
  cpuPercent: number;
  redisOpsPerSec: number;
  /** share of 304 among the counted replies, % */
  notModifiedPercent: number;
  latency: Summary;
  failures: number;
}

export interface PollingResult {
  pushpage: PollingRun;
  bare: PollingRun;
}

/** How much the bare run's ticker raises the dashboard, like the demo's counter task. */
const TICK_MS = 1_000;

/**
 * The bare servers run no background task, so during their run the bench itself changes
 * the dashboard once a second as the demo's task does: a new counter text and the page's
 * version raised (one MULTI).
 */
async function tickWhile(bench: RestBench, pageId: string, running: () => boolean) {
  const head = `pp:{${pageId}}`;
  const page = await bench.redis.hgetall(head);
  if (page.t !== 'WebPage') throw new Error(`dashboard ${pageId} is not stored`);
  const kids = (page.k ?? '').split(' ').filter(Boolean);
  let counter = 100_000;
  while (running()) {
    await sleep(TICK_MS);
    counter++;
    const m = bench.redis.multi();
    if (kids[0]) m.hset(`${head}:in`, `${kids[0]}|p:text`, JSON.stringify(String(counter)));
    await m.hincrby(head, 'v', 1).exec();
  }
}

async function pollRun(
  bench: RestBench,
  kind: SystemKind,
  page: { pageId: string; cookie: string },
  config: BenchConfig,
): Promise<PollingRun> {
  const { clients, intervalMs, durationMs, workers } = config.polling;
  const { urls } = await bench.use(kind);
  const path = kind === 'pushpage' ? '/api/pages' : '/bare/pages';
  const targets: PollTarget[] = Array.from({ length: clients }, (_, index) => ({
    url: `${urls[index % urls.length]}${path}/${page.pageId}`,
    cookie: page.cookie,
    index,
  }));
  let ticking = kind === 'bare';
  let tickError: unknown;
  const ticker = ticking
    ? tickWhile(bench, page.pageId, () => ticking).catch((error: unknown) => {
        tickError = error;
      })
    : Promise.resolve();
  const startAt = nowMs() + 1_000;
  const runs = Array.from({ length: workers }, (_, w) =>
    runHttpWorker(
      {
        op: 'polls',
        targets: targets.filter((_, i) => i % workers === w),
        total: clients,
        startAt,
        intervalMs,
        durationMs,
      },
      durationMs + intervalMs + 60_000,
    ),
  );
  try {
    await sleep(startAt + intervalMs - nowMs());
    const before = await bench.sample();
    await sleep(durationMs);
    const after = await bench.sample();
    const result = mergeResults(await Promise.all(runs));
    if (tickError) throw tickError;
    const w = windowOf(before, after);
    const polls = result.latencies.length;
    const run: PollingRun = {
      kind,
      clients,
      polls,
      cpuPercent: w.cpuPercent,
      redisOpsPerSec: w.redisOpsPerSec,
      notModifiedPercent: ((result.statuses[304] ?? 0) / polls) * 100,
      latency: summarize(result.latencies),
      failures: result.failures,
    };
    log(
      `polling ${kind}: ${clients} clients, ${polls} polls in ${w.seconds.toFixed(1)} s, ` +
        `CPU ${run.cpuPercent.toFixed(1)} %, Redis ${run.redisOpsPerSec.toFixed(0)} ops/s, ` +
        `304 ${run.notModifiedPercent.toFixed(1)} %, p99 ${run.latency.p99.toFixed(2)} ms, ` +
        `${result.failures} failures` +
        (result.firstError ? ` (first: ${result.firstError})` : ''),
    );
    return run;
  } finally {
    ticking = false;
    await Promise.allSettled(runs);
    await ticker;
  }
}

/**
 * `config.polling.clients` clients poll the shared /dashboard page every 2.5 s with
 * If-None-Match, staggered over the interval, half on each server; the first round fetches
 * the ETag, the following `durationMs` are measured. Pushpage's replicas first, then the bare
 * REST servers on the same Redis and page.
 */
export function measurePolling(config: BenchConfig): Promise<PollingResult> {
  return withRestBench(async (bench) => {
    const { urls } = await bench.use('pushpage');
    const page = await openPage(urls[0], '/dashboard');
    const pushpage = await pollRun(bench, 'pushpage', page, config);
    const bare = await pollRun(bench, 'bare', page, config);
    return { pushpage, bare };
  });
}
