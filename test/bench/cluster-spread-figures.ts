/**
 * How evenly one kind of event loads the masters of a Redis Cluster, from each node's cost per
 * event, and what that allows: the cluster's ceiling is set by its busiest node, one node's
 * ceiling by all the work on one node (the nodes' costs added up).
 */

/** What one event cost on one node, as `EventCost` has it (per event of the whole run). */
export interface NodeCost {
  node: string;
  /** commands per event, sent and run by scripts */
  commands: number;
  /** µs inside Redis per event, each µs once */
  usec: number;
  /** used_cpu_user + used_cpu_sys per event, ms */
  cpuMs: number;
}

/** One node's part: its cost per event and its share (0–1) of the nodes' total. */
export interface NodeSpread extends NodeCost {
  /** pages whose scope lives on this node */
  pages: number;
  commandsShare: number;
  usecShare: number;
  cpuShare: number;
}

/** Events/s the cluster could take with its busiest node saturated, against one node. */
export interface Ceiling {
  /** events/s: 1 ÷ the busiest node's cost per event */
  cluster: number;
  /** events/s: 1 ÷ the nodes' costs per event added up (all the work on one node) */
  oneNode: number;
  /** cluster ÷ one node: from 1 (all on one node) to the number of nodes (a perfect spread) */
  ratio: number;
  /** the busiest node */
  busiest: string;
}

export interface Spread {
  nodes: NodeSpread[];
  total: { commands: number; usec: number; cpuMs: number; pages: number };
  /** from µs inside Redis (1e6 ÷ µs) and from Redis CPU (1,000 ÷ ms) */
  fromUsec: Ceiling;
  fromCpu: Ceiling;
  /**
   * The ratio the pages' placement allows if every page costs the same and gets the same
   * events: pages ÷ pages on the fullest node.
   */
  placementRatio: number;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function ceilingOf(nodes: NodeCost[], cost: (n: NodeCost) => number, unit: number): Ceiling {
  const busiest = nodes.reduce((a, b) => (cost(b) > cost(a) ? b : a));
  const total = sum(nodes.map(cost));
  const cluster = unit / cost(busiest);
  const oneNode = unit / total;
  return { cluster, oneNode, ratio: total / cost(busiest), busiest: busiest.node };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : NaN);

/** The spread of one run: `byNode` per node, `pagesByNode` how many pages each node holds. */
export function spreadOf(
  byNode: readonly NodeCost[],
  pagesByNode: ReadonlyMap<string, number>,
): Spread {
  if (byNode.length === 0) throw new Error('no node measured');
  const nodes = [...byNode];
  const total = {
    commands: sum(nodes.map((n) => n.commands)),
    usec: sum(nodes.map((n) => n.usec)),
    cpuMs: sum(nodes.map((n) => n.cpuMs)),
    pages: sum(nodes.map((n) => pagesByNode.get(n.node) ?? 0)),
  };
  const fullest = Math.max(...nodes.map((n) => pagesByNode.get(n.node) ?? 0));
  return {
    nodes: nodes.map((n) => ({
      ...n,
      pages: pagesByNode.get(n.node) ?? 0,
      commandsShare: share(n.commands, total.commands),
      usecShare: share(n.usec, total.usec),
      cpuShare: share(n.cpuMs, total.cpuMs),
    })),
    total,
    fromUsec: ceilingOf(nodes, (n) => n.usec, 1e6),
    fromCpu: ceilingOf(nodes, (n) => n.cpuMs, 1e3),
    placementRatio: fullest > 0 ? total.pages / fullest : NaN,
  };
}
