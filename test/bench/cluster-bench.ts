/**
 * A Redis Cluster on loopback (`test/support/redis-cluster.ts`) and two servers of one kind on
 * it, for the cluster-spread scenario: Pushpage's demo replicas with `REDIS_CLUSTER_NODES`, or
 * the bare REST servers. Like `RestBench`, the Pushpage replicas open the pages, are measured
 * and stopped; then the bare servers work on the same pages in the same cluster.
 */
import { RedisCluster } from '../support/redis-cluster';
import { startReplica } from '../support/replicas';
import { ServerProcess } from '../support/server-process';
import { track, trackFolder, untrack, untrackFolder } from './cleanup';
import { SystemKind } from './protocol';
import { startBareRest } from './rest-system';
import { BENCH_ENV } from './systems';

/** Pages must not expire mid-run: an hour of grace. */
const GRACE_MS = '3600000';

/** `host:port` of each master, in the order of `ClusterBench.nodeUrls`. */
export type NodeName = string;

export class ClusterBench {
  private servers: ServerProcess[] = [];

  private constructor(
    private readonly cluster: RedisCluster,
    private readonly nodePids: number[],
  ) {}

  /** Starts a cluster of `masters` masters and remembers its processes for the bench's exit. */
  static async start(masters: number): Promise<ClusterBench> {
    const cluster = await RedisCluster.start({ masters });
    trackFolder(cluster.dir);
    const pids: number[] = [];
    try {
      for (let i = 0; i < cluster.nodes.length; i++) {
        const client = cluster.nodeClient(i);
        try {
          const info = await client.info('server');
          const pid = Number(/process_id:(\d+)/.exec(info)?.[1] ?? -1);
          track(pid);
          pids.push(pid);
        } finally {
          client.disconnect();
        }
      }
    } catch (error) {
      await cluster.dispose();
      for (const pid of pids) untrack(pid);
      untrackFolder(cluster.dir);
      throw error;
    }
    return new ClusterBench(cluster, pids);
  }

  /** Every master as `redis://host:port`, for sampling and recording node by node. */
  get nodeUrls(): string[] {
    return this.cluster.nodes.map(({ host, port }) => `redis://${host}:${port}`);
  }

  /** `host:port` of the master holding each scope's keys (`pp:{<scope>}`), by scope id. */
  async nodesOfScopes(scopeIds: readonly string[]): Promise<Map<string, NodeName>> {
    const views = await this.cluster.topology();
    const client = this.cluster.nodeClient(0);
    try {
      const out = new Map<string, NodeName>();
      for (const id of scopeIds) {
        const slot = Number(await client.call('CLUSTER', 'KEYSLOT', `pp:{${id}}`));
        const owner = views.find(
          (v) => v.role === 'master' && v.slots.some(([from, to]) => slot >= from && slot <= to),
        );
        if (!owner) throw new Error(`no master serves slot ${slot} (scope ${id})`);
        out.set(id, `${owner.host}:${owner.port}`);
      }
      return out;
    } finally {
      client.disconnect();
    }
  }

  /** Stops the running servers, if any, and starts two of `kind`; their base URLs. */
  async use(kind: SystemKind): Promise<string[]> {
    await this.stopServers();
    const redis = { REDIS_CLUSTER_NODES: this.cluster.seeds };
    for (let i = 0; i < 2; i++) {
      const server =
        kind === 'pushpage'
          ? await startReplica({ ...BENCH_ENV, ...redis, PUSHPAGE_DISCONNECT_GRACE_MS: GRACE_MS })
          : await startBareRest(redis);
      track(server.pid);
      this.servers.push(server);
    }
    return this.servers.map((s) => s.url);
  }

  /** Last lines the servers printed (to explain a failure). */
  output(): string {
    return this.servers.map((s, i) => `--- server ${i + 1}\n${s.output.join('')}`).join('\n');
  }

  private async stopServers(): Promise<void> {
    await Promise.allSettled(this.servers.map((s) => s.stop().then(() => untrack(s.pid))));
    this.servers = [];
  }

  /** Stops the servers and every node of the cluster. */
  async stop(): Promise<void> {
    await this.stopServers();
    await this.cluster.dispose();
    for (const pid of this.nodePids) untrack(pid);
    untrackFolder(this.cluster.dir);
  }
}

/** Runs `body` on a fresh ClusterBench and stops everything after, printing the servers' output on failure. */
export async function withClusterBench<T>(
  masters: number,
  body: (bench: ClusterBench) => Promise<T>,
): Promise<T> {
  const bench = await ClusterBench.start(masters);
  try {
    return await body(bench);
  } catch (error) {
    console.error(`servers on the cluster said, last:\n${bench.output().slice(-4000)}`);
    throw error;
  } finally {
    await bench.stop();
  }
}
