import { sleep } from './clock';
import { CommandOrigins, mergeOrigins, recordCommandOrigins } from './redis-command-origin';
import { CountedWindow, EventCost, eventCost } from './redis-cost';
import {
  RedisSample,
  RedisStatsSampler,
  RedisWindow,
  wholeWindow,
  windowBetween,
} from './redis-stats';

/** How long each stretch of a probe is. */
export interface ProbePlan {
  /** nothing sent: the background (the demo's own tasks, Redis's cron), subtracted after */
  idleMs: number;
  /** events in the measured window */
  events: number;
  /** events sent again under MONITOR, to tell the commands sent from those scripts ran */
  recordedEvents: number;
}

/** The cost of one event on all nodes together, and on each node. */
export interface ProbeResult {
  events: number;
  cost: EventCost;
  byNode: { node: string; cost: EventCost }[];
}

async function windowWhile(
  sampler: RedisStatsSampler,
  body: () => Promise<unknown>,
): Promise<RedisWindow> {
  const before: RedisSample = await sampler.sample();
  await body();
  return windowBetween(before, await sampler.sample());
}

/**
 * Measures what one event costs on the Redis nodes of `urls`: an idle window, a window of
 * `plan.events` events (`send(count)` sends them one at a time and answers how many went
 * through), then a few more events under MONITOR, to learn where each command ran.
 */
export async function probeEventCost(
  urls: string[],
  plan: ProbePlan,
  send: (count: number) => Promise<number>,
): Promise<ProbeResult> {
  const sampler = RedisStatsSampler.connect(urls);
  try {
    const idle = await windowWhile(sampler, () => sleep(plan.idleMs));
    let events = 0;
    const measured = await windowWhile(sampler, async () => (events = await send(plan.events)));
    if (events === 0) throw new Error('no event went through');
    const seen = wholeWindow(measured).commands.keys();
    const byNodeOrigins = await recordCommandOrigins(urls, seen, async () => {
      await send(plan.recordedEvents);
    });
    const allOrigins: CommandOrigins = new Map();
    for (const origins of byNodeOrigins.values()) mergeOrigins(allOrigins, origins);
    const counted = (w: RedisWindow, i?: number): CountedWindow => ({
      ms: w.ms,
      node: i === undefined ? wholeWindow(w) : w.nodes[i],
    });
    return {
      events,
      cost: eventCost(events, counted(measured), counted(idle), allOrigins),
      byNode: measured.nodes.map((n, i) => ({
        node: n.node,
        cost: eventCost(
          events,
          counted(measured, i),
          counted(idle, i),
          byNodeOrigins.get(n.node) ?? new Map(),
        ),
      })),
    };
  } finally {
    sampler.close();
  }
}
