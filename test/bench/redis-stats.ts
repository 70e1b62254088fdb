/**
 * Samples what Redis nodes did: `INFO commandstats` (calls and µs per command) and `INFO cpu`
 * (the redis-server's own CPU time), on every node of a list, so that a window between two
 * samples says what it cost inside Redis, node by node. One node today; the nodes of a
 * Redis Cluster later.
 */
import { Redis } from 'ioredis';
import { nowMs } from './clock';

/** Calls of one Redis command and the µs Redis spent in them. */
export interface CommandStat {
  calls: number;
  usec: number;
}

/** Commands by their commandstats name (`hgetall`, `config|get`). */
export type CommandStats = Map<string, CommandStat>;

/** One node at one moment. */
export interface NodeSample {
  /** the node's address, `host:port` */
  node: string;
  commands: CommandStats;
  /** used_cpu_user + used_cpu_sys of the redis-server, ms */
  cpuMs: number;
}

/** Every node at one moment (monotonic ms). */
export interface RedisSample {
  at: number;
  nodes: NodeSample[];
}

/** What one node did between two samples. */
export interface NodeWindow {
  node: string;
  commands: CommandStats;
  cpuMs: number;
}

/** What the nodes did between two samples. */
export interface RedisWindow {
  ms: number;
  nodes: NodeWindow[];
}

/**
 * Commands the bench sends itself to sample and classify (`INFO`, `MONITOR`), left out of
 * every window and recording. Neither system under test sends them while it is measured.
 */
export function isBenchOwn(command: string): boolean {
  return command === 'info' || command === 'monitor';
}

/** Parses `INFO commandstats`: `cmdstat_<name>:calls=<n>,usec=<n>,...` lines. */
export function parseCommandStats(info: string): CommandStats {
  const stats: CommandStats = new Map();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    stats.set(m[1], { calls: Number(m[2]), usec: Number(m[3]) });
  return stats;
}

/** used_cpu_sys + used_cpu_user from `INFO cpu`, in ms. */
export function parseCpuMs(info: string): number {
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
}

/** `host:port` of a `redis://host:port` URL. */
export function nodeName(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 6379}`;
}

/** A connection to each node of a list, to sample them together. */
export class RedisStatsSampler {
  private constructor(private readonly clients: { node: string; redis: Redis }[]) {}

  /** Connects to every node (`redis://host:port` URLs). */
  static connect(urls: string[]): RedisStatsSampler {
    return new RedisStatsSampler(
      urls.map((url) => ({
        node: nodeName(url),
        redis: new Redis(url, { maxRetriesPerRequest: 2 }),
      })),
    );
  }

  get nodes(): string[] {
    return this.clients.map((c) => c.node);
  }

  /** Counters of every node, read at once (one `INFO commandstats cpu` each). */
  async sample(): Promise<RedisSample> {
    const at = nowMs();
    const nodes = await Promise.all(
      this.clients.map(async ({ node, redis }): Promise<NodeSample> => {
        const info = await redis.info('commandstats', 'cpu');
        return { node, commands: parseCommandStats(info), cpuMs: parseCpuMs(info) };
      }),
    );
    return { at, nodes };
  }

  close(): void {
    for (const { redis } of this.clients) redis.disconnect();
  }
}

function commandsBetween(before: CommandStats, after: CommandStats): CommandStats {
  const out: CommandStats = new Map();
  for (const [name, stat] of after) {
    if (isBenchOwn(name)) continue;
    const was = before.get(name) ?? { calls: 0, usec: 0 };
    const calls = stat.calls - was.calls;
    if (calls > 0) out.set(name, { calls, usec: stat.usec - was.usec });
  }
  return out;
}

/** What each node did from `before` to `after` (same nodes, same order), the bench's own commands left out. */
export function windowBetween(before: RedisSample, after: RedisSample): RedisWindow {
  return {
    ms: after.at - before.at,
    nodes: after.nodes.map((node, i) => ({
      node: node.node,
      commands: commandsBetween(before.nodes[i].commands, node.commands),
      cpuMs: node.cpuMs - before.nodes[i].cpuMs,
    })),
  };
}

/** Adds command stats up (calls and µs by name), each scaled by `factor`. */
export function addCommands(into: CommandStats, from: CommandStats, factor = 1): CommandStats {
  for (const [name, stat] of from) {
    const sum = into.get(name) ?? { calls: 0, usec: 0 };
    into.set(name, { calls: sum.calls + stat.calls * factor, usec: sum.usec + stat.usec * factor });
  }
  return into;
}

/** The nodes of a window taken together. */
export function wholeWindow(window: RedisWindow): NodeWindow {
  const commands: CommandStats = new Map();
  let cpuMs = 0;
  for (const node of window.nodes) {
    addCommands(commands, node.commands);
    cpuMs += node.cpuMs;
  }
  return { node: window.nodes.map((n) => n.node).join(', '), commands, cpuMs };
}
