import { BenchConfig } from '../config';
import { COMMAND_TIMEOUT_MS, log, withSystem } from '../harness';
import { SystemKind } from '../protocol';
import { Summary, summarize } from '../stats';

/** Event → update latency seen by a tab on the other server, at light load. */
export interface LatencyResult {
  kind: SystemKind;
  /** send → the observer tab (other server) has the patch, in ms */
  observer: Summary;
  failures: number;
}

/**
 * One sender tab on server 1 and one observer tab on server 2; the sender posts one
 * message at a time (a short pause between), and each sample is the time from the emit to
 * the observer receiving the board patch.
 */
export function measureLatency(kind: SystemKind, config: BenchConfig): Promise<LatencyResult> {
  const { warmup, samples, pauseMs } = config.latency;
  return withSystem(kind, 1, async (system, [worker]) => {
    const t = COMMAND_TIMEOUT_MS;
    await worker.call({ op: 'load', kind, url: system.urls[0], count: 1, concurrency: 1 }, t);
    await worker.call({ op: 'load', kind, url: system.urls[1], count: 1, concurrency: 1 }, t);
    const opened = await worker.call({ op: 'connect', concurrency: 2 }, t);
    const run = (count: number, firstSeq: number) =>
      worker.call(
        {
          op: 'sequential',
          sender: 0,
          observer: 1,
          count,
          durationMs: 120_000,
          pauseMs,
          firstSeq,
        },
        t,
      );
    await run(warmup, opened.boardVersion + 1);
    const result = await run(samples, opened.boardVersion + 1 + warmup);
    const observer = summarize(result.observerLatencies);
    log(
      `latency ${kind}: ${observer.count} samples, p50 ${observer.p50.toFixed(2)} ms, ` +
        `p99 ${observer.p99.toFixed(2)} ms`,
    );
    return { kind, observer, failures: result.failures };
  });
}
