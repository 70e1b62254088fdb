import { OtlpReceiver } from '../../support/otlp-receiver';
import { BenchConfig } from '../config';
import { log } from '../harness';
import { withRestBench } from '../rest-system';
import { clickRun, openHelloPages, RestRun } from './rest';

/** REST events on Pushpage with tracing off and on, on the same pages and Redis. */
export interface TracingResult {
  off: RestRun;
  /** every event traced */
  on: RestRun;
  /** one trace in ten kept (`parentbased_traceidratio`, 0.1) */
  sampled: RestRun;
  /** tracing off again, last: how far the machine drifted over the runs */
  offAgain: RestRun;
  /** spans the OTLP receiver got per `pushpage.event` span: what one traced event sends */
  spansPerEvent: number;
}

/** Time for the receiver to read the last batch, which the replicas send as they stop. */
const FLUSH_MS = 1_000;

/**
 * What turning tracing on costs: the REST scenario's clients click their /hello pages on
 * two Pushpage replicas without tracing, then on two replicas that export every trace over
 * OTLP/HTTP to a receiver in this process (as the demo does with
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), then on two that keep one trace in ten, then
 * without tracing again; the first untraced run is the baseline, the last shows the drift.
 */
export function measureTracing(config: BenchConfig): Promise<TracingResult> {
  const { clients, durationMs, workers } = config.rest;
  return withRestBench(async (bench) => {
    const receiver = await OtlpReceiver.start();
    try {
      const { urls } = await bench.use('pushpage');
      const pages = await openHelloPages(urls, clients);
      const off = await clickRun(bench, 'pushpage', pages, durationMs, workers);
      const traced = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url };
      const on = await clickRun(bench, 'pushpage', pages, durationMs, workers, traced);
      // the replicas send what they still hold as they stop (SIGTERM): stop them, then count
      await bench.stopServers();
      await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
      const spans = receiver.spans;
      const sampled = await clickRun(bench, 'pushpage', pages, durationMs, workers, {
        ...traced,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      });
      const events = spans.filter((span) => span.name === 'pushpage.event').length;
      const spansPerEvent = spans.length / Math.max(1, events);
      log(
        `tracing: ${spans.length} spans received for ${events} events, ` +
          `${spansPerEvent.toFixed(1)} per event`,
      );
      const offAgain = await clickRun(bench, 'pushpage', pages, durationMs, workers);
      return { off, on, sampled, offAgain, spansPerEvent };
    } finally {
      await receiver.stop();
    }
  });
}
