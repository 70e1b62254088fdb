import { ClickTarget, clickSpread } from '../click-spread';
import { nowMs } from '../clock';
import { BenchConfig } from '../config';
import { ProbePlan, ProbeResult, probeEventCost } from '../event-cost-probe';
import { log, withSystem } from '../harness';
import { SystemKind } from '../protocol';
import { describeEventCost } from '../redis-cost';
import { openPage, RestBench, withRestBench } from '../rest-system';
import { openBoard, sendMessages } from './board';
import { OpenedPage, openHelloPages } from './rest';

/** What one event of a kind cost inside Redis, for one system. */
export interface StoreCostRun extends ProbeResult {
  kind: SystemKind;
  /** tabs showing the board (socket events), else 0 */
  tabs: number;
  /** messages on the board before and after (socket events on Pushpage), else 0 */
  boardStart: number;
  boardEnd: number;
}

/** Both systems for one kind of event; a system that failed is an Error. */
export interface StoreCostPair {
  pushpage?: StoreCostRun | Error;
  bare?: StoreCostRun | Error;
}

/** A REST click under load: many pages clicked at once, and the rate the window achieved. */
export interface LoadedStoreCostRun extends StoreCostRun {
  /** pages clicked at once, each by its own loop */
  pages: number;
  /** how long the measured clicks took, s, and the events per second that made */
  seconds: number;
  eventsPerSec: number;
}

/** The REST click on both systems: one at a time, and under load. */
export interface RestClickCost {
  pushpage: StoreCostRun;
  bare: StoreCostRun;
  /** under load; a part that failed is an Error (the one-at-a-time runs stand) */
  loaded: { pushpage: LoadedStoreCostRun | Error; bare?: LoadedStoreCostRun | Error };
}

/** The store-cost scenario: a socket event on the board and a REST click. */
export interface StoreCostResult {
  socket: StoreCostPair;
  rest?: RestClickCost | Error;
}

function planOf(config: BenchConfig, events: number): ProbePlan {
  const { idleMs, recordedEvents } = config.storeCost;
  return { idleMs, events, recordedEvents };
}

function logged<T extends StoreCostRun>(what: string, run: T): T {
  log(`store cost, ${what} ${run.kind}: ${run.events} events, ${describeEventCost(run.cost)}`);
  if (run.byNode.length > 1)
    for (const { node, cost } of run.byNode) log(`  node ${node}: ${describeEventCost(cost)}`);
  return run;
}

/**
 * A socket event: the message board as the board scenario drives it (100 tabs, half on each
 * server, tab 0 posting one message at a time, each waited for on every tab), on a board of
 * `boardSize` messages; the Redis cost per message.
 */
export function measureSocketEventCost(
  kind: SystemKind,
  config: BenchConfig,
): Promise<StoreCostRun> {
  const { boardSize, tabs, warmup, messages } = config.storeCost.board;
  return withSystem(kind, 1, async (system, [worker]) => {
    const board = await openBoard(kind, system, worker, { boardSize, tabs, warmup });
    const send = async (count: number): Promise<number> => {
      const run = await sendMessages(board, count, 120_000);
      if (run.failures > 0) throw new Error(`${run.failures} of ${count} messages were refused`);
      return run.messages;
    };
    const probe = await probeEventCost([system.redisUrl], planOf(config, messages), send);
    const onBoard = kind === 'pushpage' ? boardSize : 0;
    const sent = probe.events + config.storeCost.recordedEvents;
    return logged('socket event', {
      kind,
      tabs: board.tabs,
      boardStart: onBoard,
      boardEnd: kind === 'pushpage' ? onBoard + sent : 0,
      ...probe,
    });
  });
}

/** Posts `count` clicks on `componentId` one at a time, each answered 200 (else it throws). */
async function clickOneAtATime(
  eventsUrl: string,
  cookie: string,
  componentId: string,
  count: number,
): Promise<number> {
  const body = JSON.stringify({ componentId, type: 'click' });
  const headers = { 'content-type': 'application/json', cookie };
  for (let i = 0; i < count; i++) {
    const res = await fetch(eventsUrl, { method: 'POST', headers, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`POST ${eventsUrl}: ${res.status}`);
  }
  return count;
}

async function clickCost(
  bench: RestBench,
  kind: SystemKind,
  page: { pageId: string; cookie: string; componentId: string },
  config: BenchConfig,
): Promise<StoreCostRun> {
  const { warmup, clicks } = config.storeCost.rest;
  const { urls } = await bench.use(kind);
  const apiBase = `${urls[0]}${kind === 'pushpage' ? '/api/pages' : '/bare/pages'}`;
  const click = (count: number) =>
    clickOneAtATime(`${apiBase}/${page.pageId}/events`, page.cookie, page.componentId, count);
  await click(warmup);
  const probe = await probeEventCost([bench.redisUrl], planOf(config, clicks), click);
  return logged('REST click', { kind, tabs: 0, boardStart: 0, boardEnd: 0, ...probe });
}

/**
 * The REST click under load: `pages` (each its own session, opened half on each server) clicked
 * on the server that opened them, each page by its own loop, one request at a time, all loops at
 * once, so that Redis is kept busy (and no two clicks are on one page). The servers of `kind`
 * must be running.
 */
async function loadedClickCost(
  bench: RestBench,
  kind: SystemKind,
  pages: OpenedPage[],
  config: BenchConfig,
): Promise<LoadedStoreCostRun> {
  const { warmupRounds, events, timeoutMs } = config.storeCost.restLoaded;
  if (bench.current?.kind !== kind) throw new Error(`the ${kind} servers are not running`);
  const { urls } = bench.current;
  const path = kind === 'pushpage' ? '/api/pages' : '/bare/pages';
  // the third Hello, as the one-at-a-time click
  const targets: ClickTarget[] = pages.map((page, i) => ({
    eventsUrl: `${urls[i % urls.length]}${path}/${page.pageId}/events`,
    cookie: page.cookie,
    componentId: page.componentIds[Math.min(2, page.componentIds.length - 1)],
  }));
  const lanes = targets.length;
  await clickSpread(targets, targets.length * warmupRounds, lanes, timeoutMs);
  let measuredMs: number | undefined;
  const send = async (count: number): Promise<number> => {
    const started = nowMs();
    const answered = await clickSpread(targets, count, lanes, timeoutMs);
    measuredMs ??= nowMs() - started; // the probe's first call is the measured window
    return answered;
  };
  const probe = await probeEventCost([bench.redisUrl], planOf(config, events), send);
  const seconds = (measuredMs ?? NaN) / 1000;
  const run: LoadedStoreCostRun = {
    kind,
    tabs: 0,
    boardStart: 0,
    boardEnd: 0,
    pages: lanes,
    seconds,
    eventsPerSec: probe.events / seconds,
    ...probe,
  };
  log(
    `store cost, REST click under load ${kind}: ${lanes} pages at once, ` +
      `${probe.events} events in ${seconds.toFixed(1)} s (${run.eventsPerSec.toFixed(0)}/s)`,
  );
  return logged('REST click under load', run);
}

/** Runs `body`; a failure is logged with the servers' last output, and kept as the result. */
async function kept<T>(bench: RestBench, what: string, body: () => Promise<T>): Promise<T | Error> {
  try {
    return await body();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    log(`store cost, ${what} FAILED: ${failure.message}`);
    console.error(`REST servers said, last:\n${bench.output().slice(-4000)}`);
    return failure;
  }
}

/**
 * A REST click: one /hello page (opened through Pushpage's API), its third Hello clicked one
 * request at a time on server 1, by Pushpage (`POST /api/pages/:id/events`) and then by the
 * bare REST server on the same Redis and page (`POST /bare/pages/:id/events`). Each system
 * then clicks under load (`loadedClickCost`) the same `storeCost.restLoaded.pages` other
 * pages, opened through Pushpage after its one-at-a-time clicks.
 */
export function measureRestClickCost(config: BenchConfig): Promise<RestClickCost> {
  return withRestBench(async (bench) => {
    const { urls } = await bench.use('pushpage');
    const opened = await openPage(urls[0], '/hello');
    const hello = opened.tree.children?.[2];
    if (!hello?.events?.includes('click'))
      throw new Error(`/hello page ${opened.pageId}: the third Hello does not listen to clicks`);
    const page = { pageId: opened.pageId, cookie: opened.cookie, componentId: hello.id };
    const pushpage = await clickCost(bench, 'pushpage', page, config);
    let pages: OpenedPage[] = [];
    const loadedPushpage = await kept(bench, 'REST click under load pushpage', async () => {
      // one page per session (far from the per-session page limit), opened on the servers
      // running now: clickCost started them afresh
      const running = bench.current?.urls ?? [];
      pages = await openHelloPages(running, config.storeCost.restLoaded.pages);
      return loadedClickCost(bench, 'pushpage', pages, config);
    });
    const bare = await clickCost(bench, 'bare', page, config);
    const loadedBare =
      pages.length > 0
        ? await kept(bench, 'REST click under load bare', () =>
            loadedClickCost(bench, 'bare', pages, config),
          )
        : undefined;
    return { pushpage, bare, loaded: { pushpage: loadedPushpage, bare: loadedBare } };
  });
}
