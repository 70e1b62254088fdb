/**
 * `npm run bench`: Pushpage against bare Socket.IO + Redis adapter, two server processes
 * each, on one fresh Redis per scenario (`cluster-spread`: a fresh 3-master Redis Cluster).
 * Prints progress, then a markdown table, which it also writes to bench-results/latest.md.
 * `BENCH_QUICK=1` for a short smoke run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCleanup } from './cleanup';
import { BenchConfig, loadBenchConfig } from './config';
import { log } from './harness';
import { openFileLimit } from './proc';
import { renderReport } from './report';
import { BenchResults } from './rows';
import { measureBoard } from './scenarios/board';
import { measureClusterSpread } from './scenarios/cluster-spread';
import { measureFanout } from './scenarios/fanout';
import { measureLatency } from './scenarios/latency';
import { measurePolling } from './scenarios/polling';
import { measureRest } from './scenarios/rest';
import { measureChart } from './scenarios/chart';
import { measureTracing } from './scenarios/tracing';
import { measureRestClickCost, measureSocketEventCost } from './scenarios/store-cost';

const WATCHDOG_MS = { quick: 6 * 60_000, full: 25 * 60_000 };

/** Runs a scenario; a failure is logged and kept as the result, and the bench goes on. */
async function attempt<T>(name: string, run: () => Promise<T>): Promise<T | Error> {
  try {
    return await run();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    log(`${name} FAILED: ${failure.message}`);
    return failure;
  }
}

/** Drops fan-out sizes that the open-file limit cannot hold, with a warning. */
function fitFileLimit(config: BenchConfig): void {
  const limit = openFileLimit();
  const holders = Math.min(2, config.fanout.workers);
  const fits = (size: number) => size / holders + 1000 <= limit;
  const kept = config.fanout.sizes.filter(fits);
  if (kept.length < config.fanout.sizes.length) {
    log(
      `WARNING: open-file limit ${limit} is too low for ${config.fanout.sizes.join(', ')} tabs; ` +
        `running ${kept.join(', ') || 'no'} fan-out sizes (raise it with: ulimit -n 65536)`,
    );
    config.fanout.sizes = kept;
  }
}

async function main(): Promise<void> {
  installCleanup();
  const config = loadBenchConfig();
  const watchdog = setTimeout(
    () => {
      console.error('bench: the watchdog stopped a run that took too long');
      process.exit(1);
    },
    config.quick ? WATCHDOG_MS.quick : WATCHDOG_MS.full,
  );
  watchdog.unref();
  fitFileLimit(config);
  const started = Date.now();
  log(`bench: ${config.quick ? 'quick' : 'full'} run, scenarios ${[...config.only].join(', ')}`);
  const results: BenchResults = { latency: {}, board: { pushpage: [] }, fanout: {} };

  if (config.only.has('latency')) {
    results.latency.pushpage = await attempt('latency (Pushpage)', () =>
      measureLatency('pushpage', config),
    );
    results.latency.bare = await attempt('latency (baseline)', () =>
      measureLatency('bare', config),
    );
  }
  if (config.only.has('board')) {
    for (const size of config.board.sizes)
      results.board.pushpage.push(
        await attempt(`message board @${size} (Pushpage)`, () =>
          measureBoard('pushpage', size, config),
        ),
      );
    results.board.bare = await attempt('message board (baseline)', () =>
      measureBoard('bare', 0, config),
    );
  }
  if (config.only.has('fanout') && config.fanout.sizes.length > 0) {
    results.fanout.pushpage = await attempt('fan-out (Pushpage)', () =>
      measureFanout('pushpage', config),
    );
    results.fanout.bare = await attempt('fan-out (baseline)', () => measureFanout('bare', config));
  }
  if (config.only.has('rest'))
    results.rest = await attempt('REST events (Pushpage and baseline)', () => measureRest(config));
  if (config.only.has('polling'))
    results.polling = await attempt('polling (Pushpage and baseline)', () =>
      measurePolling(config),
    );
  if (config.only.has('store-cost'))
    results.storeCost = {
      socket: {
        pushpage: await attempt('store cost, socket event (Pushpage)', () =>
          measureSocketEventCost('pushpage', config),
        ),
        bare: await attempt('store cost, socket event (baseline)', () =>
          measureSocketEventCost('bare', config),
        ),
      },
      rest: await attempt('store cost, REST click (Pushpage and baseline)', () =>
        measureRestClickCost(config),
      ),
    };

  if (config.only.has('chart'))
    results.chart = await attempt('live chart (new point and whole tree)', () =>
      measureChart(config),
    );

  if (config.only.has('cluster-spread'))
    results.clusterSpread = await attempt('cluster spread (Pushpage and baseline)', () =>
      measureClusterSpread(config),
    );

  if (config.only.has('tracing'))
    results.tracing = await attempt('tracing (on and off)', () => measureTracing(config));

  const report = renderReport(results, config, Date.now() - started);
  console.log(`\n${report}`);
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), report);
  log(`bench: done; the table is also in bench-results/latest.md`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
