/**
 * `cluster-spread`: how evenly events on many independent pages load the masters of a Redis
 * Cluster. Two Pushpage replicas on a 3-master cluster (`REDIS_CLUSTER_NODES`) open many
 * /hello pages over REST; REST clicks spread evenly over the pages (a few in flight, never two
 * on one page) are measured node by node (`INFO commandstats` and `INFO cpu` of each master,
 * the idle rate subtracted, MONITOR on each node for what scripts ran). Then the bare REST
 * servers click the same pages on the same cluster, the same way: the baseline.
 */
import { nowMs } from '../clock';
import { ClusterBench, NodeName, withClusterBench } from '../cluster-bench';
import { ClickTarget, clickSpread } from '../click-spread';
import { NodeCost, Spread, spreadOf } from '../cluster-spread-figures';
import { BenchConfig } from '../config';
import { ProbeResult, probeEventCost } from '../event-cost-probe';
import { log } from '../harness';
import { SystemKind } from '../protocol';
import { describeEventCost } from '../redis-cost';
import { nodeName } from '../redis-stats';
import { OpenedPage, openHelloPages } from './rest';

/** One system's clicks on the cluster. */
export interface SpreadRun extends ProbeResult {
  kind: SystemKind;
  /** how long the measured clicks took, s (all in flight at `lanes` at once) */
  seconds: number;
  spread: Spread;
}

export interface ClusterSpreadResult {
  masters: number;
  pages: number;
  /** clicks in flight at once */
  lanes: number;
  /** pages whose scope each master holds, by `host:port` */
  pagesByNode: Map<NodeName, number>;
  pushpage: SpreadRun;
  /** the bare REST servers on the same cluster and pages; an Error if they failed */
  bare: SpreadRun | Error;
}

function costsOf(probe: ProbeResult): NodeCost[] {
  return probe.byNode.map(({ node, cost }) => ({
    node,
    commands: cost.commands,
    usec: cost.usec,
    cpuMs: cost.cpuMs,
  }));
}

function logged(run: SpreadRun): SpreadRun {
  const { spread } = run;
  log(
    `cluster spread ${run.kind}: ${run.events} events in ${run.seconds.toFixed(1)} s; all nodes: ` +
      describeEventCost(run.cost),
  );
  for (const [i, n] of spread.nodes.entries())
    log(
      `  node ${n.node}: ${n.pages} pages, ${n.commands.toFixed(2)} commands ` +
        `(${(n.commandsShare * 100).toFixed(0)} %), ${n.usec.toFixed(1)} µs ` +
        `(${(n.usecShare * 100).toFixed(0)} %), CPU ${n.cpuMs.toFixed(3)} ms ` +
        `(${(n.cpuShare * 100).toFixed(0)} %) per event; ${describeEventCost(run.byNode[i].cost)}`,
    );
  log(
    `  ceiling, cluster ÷ one node: ${spread.fromUsec.ratio.toFixed(2)}× from µs, ` +
      `${spread.fromCpu.ratio.toFixed(2)}× from CPU (the placement allows ` +
      `${spread.placementRatio.toFixed(2)}×)`,
  );
  return run;
}

/**
 * Clicks `pages` through the servers at `urls` (page `i` on server `i mod 2`): one round of
 * warm-up per `warmupRounds`, then the probe's measured and recorded clicks.
 */
async function spreadRun(
  bench: ClusterBench,
  kind: SystemKind,
  urls: string[],
  pages: { page: OpenedPage; componentId: string }[],
  pagesByNode: Map<NodeName, number>,
  config: BenchConfig,
): Promise<SpreadRun> {
  const { lanes, warmupRounds, events, idleMs, recordedEvents } = config.clusterSpread;
  const path = kind === 'pushpage' ? '/api/pages' : '/bare/pages';
  const targets: ClickTarget[] = pages.map(({ page, componentId }, i) => ({
    eventsUrl: `${urls[i % urls.length]}${path}/${page.pageId}/events`,
    cookie: page.cookie,
    componentId,
  }));
  await clickSpread(targets, targets.length * warmupRounds, lanes);
  let measuredMs: number | undefined;
  const send = async (count: number): Promise<number> => {
    const started = nowMs();
    const answered = await clickSpread(targets, count, lanes);
    measuredMs ??= nowMs() - started; // the probe's first call is the measured window
    return answered;
  };
  const probe = await probeEventCost(bench.nodeUrls, { idleMs, events, recordedEvents }, send);
  return logged({
    kind,
    ...probe,
    seconds: (measuredMs ?? NaN) / 1000,
    spread: spreadOf(costsOf(probe), pagesByNode),
  });
}

/** How many of `pageIds` each master holds, every master listed (0 if none). */
async function placementOf(bench: ClusterBench, pageIds: string[]): Promise<Map<NodeName, number>> {
  const counts = new Map<NodeName, number>(bench.nodeUrls.map((url) => [nodeName(url), 0]));
  for (const node of (await bench.nodesOfScopes(pageIds)).values())
    counts.set(node, (counts.get(node) ?? 0) + 1);
  return counts;
}

/** The scenario: Pushpage's replicas, then the bare REST servers, on one cluster and one set of pages. */
export function measureClusterSpread(config: BenchConfig): Promise<ClusterSpreadResult> {
  const { masters, pages: pageCount, lanes } = config.clusterSpread;
  return withClusterBench(masters, async (bench) => {
    const pushpageUrls = await bench.use('pushpage');
    const opened = await openHelloPages(pushpageUrls, pageCount);
    // the third Hello, as the store-cost scenario clicks
    const pages = opened.map((page) => ({
      page,
      componentId: page.componentIds[Math.min(2, page.componentIds.length - 1)],
    }));
    const pagesByNode = await placementOf(
      bench,
      opened.map((p) => p.pageId),
    );
    log(
      `cluster spread: ${opened.length} /hello pages on ${masters} masters: ` +
        [...pagesByNode].map(([node, n]) => `${node} ${n}`).join(', '),
    );
    const pushpage = await spreadRun(bench, 'pushpage', pushpageUrls, pages, pagesByNode, config);
    let bare: SpreadRun | Error;
    try {
      const bareUrls = await bench.use('bare');
      bare = await spreadRun(bench, 'bare', bareUrls, pages, pagesByNode, config);
    } catch (error) {
      bare = error instanceof Error ? error : new Error(String(error));
      log(`cluster spread bare FAILED: ${bare.message}`);
      console.error(`bare REST servers said, last:\n${bench.output().slice(-4000)}`);
    }
    return { masters, pages: opened.length, lanes, pagesByNode, pushpage, bare };
  });
}
