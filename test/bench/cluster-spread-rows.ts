import { Ceiling, NodeSpread, Spread } from './cluster-spread-figures';
import { cell, ok, ratio, Row, TARGETS, verdict } from './rows';
import { ClusterSpreadResult, SpreadRun } from './scenarios/cluster-spread';
import { fmt } from './stats';

const percent = (share: number) => `${fmt(share * 100)} %`;

function where(r: ClusterSpreadResult): string {
  return (
    `Cluster spread (${r.masters} masters, ${fmt(r.pages)} /hello pages, REST clicks, ` +
    `${r.lanes} in flight; baseline: the bare REST server on the same cluster)`
  );
}

/** The rows of the main table: the nodes together, and the ceilings' ratios against the target. */
export function clusterSpreadRows(result: ClusterSpreadResult | Error | undefined): Row[] {
  const r = ok(result);
  if (!r) return [];
  const p = r.pushpage;
  const b = ok(r.bare);
  const on = where(r);
  const plain = (measure: string, value: (run: SpreadRun) => number, decimals: number): Row => ({
    measure: `${on}: ${measure}`,
    pushpage: cell(value(p), decimals),
    baseline: cell(b && value(b), decimals),
    ratio: ratio(value(p), b && value(b)),
    target: '',
    result: '',
  });
  const spreadRatio = (measure: string, ceiling: (s: Spread) => Ceiling): Row => ({
    measure: `${on}: ${measure}`,
    pushpage: `${fmt(ceiling(p.spread).ratio, 2)}×`,
    baseline: b ? `${fmt(ceiling(b.spread).ratio, 2)}×` : 'n/a',
    ratio: '',
    target: `≥ ${TARGETS.clusterCeilingVsOneNode}×`,
    result: verdict(ceiling(p.spread).ratio, TARGETS.clusterCeilingVsOneNode, 'higher'),
  });
  return [
    plain('Redis commands per event, all nodes (sent + run by scripts)', (s) => s.cost.commands, 1),
    plain('µs inside Redis per event, all nodes', (s) => s.cost.usec, 0),
    plain('Redis CPU per event, all nodes (ms)', (s) => s.cost.cpuMs, 3),
    spreadRatio(
      'ceiling from µs, cluster (busiest node) ÷ one node (all nodes added)',
      (s) => s.fromUsec,
    ),
    spreadRatio(
      'ceiling from CPU, cluster (busiest node) ÷ one node (all nodes added)',
      (s) => s.fromCpu,
    ),
    plain('events/s while measured (this machine, not a ceiling)', (s) => s.events / s.seconds, 0),
  ];
}

function nodeCells(n: NodeSpread | undefined): string[] {
  if (!n) return ['n/a', 'n/a', 'n/a'];
  return [
    `${fmt(n.commands, 2)} (${percent(n.commandsShare)})`,
    `${fmt(n.usec, 1)} (${percent(n.usecShare)})`,
    `${fmt(n.cpuMs, 3)} (${percent(n.cpuShare)})`,
  ];
}

function ceilingCells(c: Ceiling | undefined): string[] {
  if (!c) return ['n/a', 'n/a', 'n/a'];
  return [`${fmt(c.cluster)} (busiest: ${c.busiest})`, fmt(c.oneNode), `${fmt(c.ratio, 2)}×`];
}

/** The per-node table and the ceilings, Pushpage beside the bare REST server. */
export function clusterSpreadTable(result: ClusterSpreadResult | Error | undefined): string {
  const r = ok(result);
  if (!r) return '';
  const p = r.pushpage.spread;
  const b = ok(r.bare)?.spread;
  const lines = [
    '| Node | Pages | Pushpage: commands/event (share) | µs/event (share) | Redis CPU ms/event (share) ' +
      '| Baseline: commands/event (share) | µs/event (share) | Redis CPU ms/event (share) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const n of p.nodes) {
    const bn = b?.nodes.find((x) => x.node === n.node);
    lines.push(`| ${n.node} | ${n.pages} | ${[...nodeCells(n), ...nodeCells(bn)].join(' | ')} |`);
  }
  const totals = (s: Spread | undefined) =>
    s
      ? [fmt(s.total.commands, 2), fmt(s.total.usec, 1), fmt(s.total.cpuMs, 3)]
      : ['n/a', 'n/a', 'n/a'];
  lines.push(`| all nodes | ${p.total.pages} | ${[...totals(p), ...totals(b)].join(' | ')} |`);
  lines.push(
    '',
    '| Ceiling (events/s) | Pushpage: cluster (busiest node) | one node (all nodes added) | ' +
      'cluster ÷ one node | Baseline: cluster | one node | cluster ÷ one node |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| from µs inside Redis (1e6 ÷ µs) | ${[...ceilingCells(p.fromUsec), ...ceilingCells(b?.fromUsec)].join(' | ')} |`,
    `| from Redis CPU (1,000 ÷ ms) | ${[...ceilingCells(p.fromCpu), ...ceilingCells(b?.fromCpu)].join(' | ')} |`,
    `| what the pages' placement allows (pages ÷ pages on the fullest node) | | | ${fmt(p.placementRatio, 2)}× | | | ${fmt(p.placementRatio, 2)}× |`,
  );
  return lines.join('\n');
}
