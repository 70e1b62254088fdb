import { BenchConfig } from '../config';
import { ProbePlan, ProbeResult, probeEventCost } from '../event-cost-probe';
import { log, withSystem } from '../harness';
import { SystemKind } from '../protocol';
import { describeEventCost } from '../redis-cost';
import { openPage, RestBench, withRestBench } from '../rest-system';
import { openBoard, sendMessages } from './board';

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

/** The store-cost scenario: a socket event on the board and a REST click. */
export interface StoreCostResult {
  socket: StoreCostPair;
  rest?: { pushpage: StoreCostRun; bare: StoreCostRun } | Error;
}

function planOf(config: BenchConfig, events: number): ProbePlan {
  const { idleMs, recordedEvents } = config.storeCost;
  return { idleMs, events, recordedEvents };
}

function logged(what: string, run: StoreCostRun): StoreCostRun {
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
 * A REST click: one /hello page (opened through Pushpage's API), its third Hello clicked one
 * request at a time on server 1, by Pushpage (`POST /api/pages/:id/events`) and then by the
 * bare REST server on the same Redis and page (`POST /bare/pages/:id/events`).
 */
export function measureRestClickCost(
  config: BenchConfig,
): Promise<{ pushpage: StoreCostRun; bare: StoreCostRun }> {
  return withRestBench(async (bench) => {
    const { urls } = await bench.use('pushpage');
    const opened = await openPage(urls[0], '/hello');
    const hello = opened.tree.children?.[2];
    if (!hello?.events?.includes('click'))
      throw new Error(`/hello page ${opened.pageId}: the third Hello does not listen to clicks`);
    const page = { pageId: opened.pageId, cookie: opened.cookie, componentId: hello.id };
    const pushpage = await clickCost(bench, 'pushpage', page, config);
    const bare = await clickCost(bench, 'bare', page, config);
    return { pushpage, bare };
  });
}
