/**
 * Which commands a client sent, which a Lua script ran, and which a MULTI/EXEC ran.
 *
 * `INFO commandstats` counts them all alike: on Redis 7.0 a command run by `redis.call`, or
 * queued in a MULTI, adds its calls and µs to its own name, and the EVALSHA or EXEC that ran
 * it counts the same µs again in its own. MONITOR tells them apart: it shows a script's
 * commands as coming from `lua`, and a transaction's between the client's MULTI and EXEC.
 * Monitoring costs Redis time, so it watches a short separate stretch of the same events,
 * and its split is applied to the clean window's counters.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { withTimeout } from './clock';
import { isBenchOwn, nodeName } from './redis-stats';

/** Where a command ran: sent by a client, run by a Lua script, or queued in a MULTI/EXEC. */
export type Origin = 'client' | 'script' | 'transaction';

/** Calls of one command by where they ran. */
export type OriginCalls = Record<Origin, number>;

/** Commands by their commandstats name. */
export type CommandOrigins = Map<string, OriginCalls>;

/** One command as MONITOR shows it. */
export interface MonitoredCommand {
  args: string[];
  /** the client's `host:port`, or `lua` for a command a script ran */
  source: string;
}

/** Commands whose µs include the commands they ran. */
export const CONTAINERS = new Set([
  'eval',
  'evalsha',
  'eval_ro',
  'evalsha_ro',
  'fcall',
  'fcall_ro',
  'exec',
]);

const SCRIPT_SOURCE = 'lua';

/** The commandstats name of a command: `hgetall`, or `config|get` where `known` has it. */
function statName(args: string[], known: ReadonlySet<string>): string {
  const name = (args[0] ?? '').toLowerCase();
  const sub = `${name}|${(args[1] ?? '').toLowerCase()}`;
  return !known.has(name) && known.has(sub) ? sub : name;
}

/**
 * Sorts the commands one node ran, in order, by origin. `known` are the commandstats names
 * seen (to name subcommands as commandstats does). The bench's own commands are left out.
 */
export function originsOf(
  commands: MonitoredCommand[],
  known: ReadonlySet<string>,
): CommandOrigins {
  const origins: CommandOrigins = new Map();
  const inTransaction = new Set<string>();
  for (const { args, source } of commands) {
    const name = statName(args, known);
    let origin: Origin = 'client';
    if (source === SCRIPT_SOURCE) origin = 'script';
    else if (name === 'multi') inTransaction.add(source);
    else if (name === 'exec' || name === 'discard') inTransaction.delete(source);
    else if (inTransaction.has(source)) origin = 'transaction';
    if (isBenchOwn(name)) continue;
    const calls = origins.get(name) ?? { client: 0, script: 0, transaction: 0 };
    calls[origin]++;
    origins.set(name, calls);
  }
  return origins;
}

/** Adds one node's origins to another's. */
export function mergeOrigins(into: CommandOrigins, from: CommandOrigins): CommandOrigins {
  for (const [name, calls] of from) {
    const sum = into.get(name) ?? { client: 0, script: 0, transaction: 0 };
    for (const origin of Object.keys(sum) as Origin[]) sum[origin] += calls[origin];
    into.set(name, sum);
  }
  return into;
}

/** How long to wait for MONITOR to show a marker the bench sent. */
const MARKER_TIMEOUT_MS = 10_000;

/**
 * One node under MONITOR: what it ran between a start marker and an end marker (a `PING`
 * with a random word, which MONITOR shows in order with everything else).
 */
class MonitorRecording {
  private readonly seen: MonitoredCommand[] = [];
  private readonly word = `bench-origin-${randomBytes(6).toString('hex')}`;
  private waiting: { marker: string; found: () => void } | undefined;

  private constructor(
    private readonly client: Redis,
    private readonly monitor: Redis,
  ) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const waiting = this.waiting;
      if (waiting && args[0]?.toLowerCase() === 'ping' && args[1] === waiting.marker) {
        waiting.found();
        return;
      }
      this.seen.push({ args, source });
    });
  }

  static async start(url: string): Promise<MonitorRecording> {
    const client = new Redis(url, { maxRetriesPerRequest: 2 });
    // monitor() opens a connection of its own for MONITOR
    const recording = new MonitorRecording(client, await client.monitor());
    await recording.mark('start');
    recording.seen.length = 0;
    return recording;
  }

  /** Sends a marker and waits until MONITOR has shown it (and so everything before it). */
  private async mark(what: string): Promise<void> {
    const marker = `${this.word}-${what}`;
    const found = new Promise<void>((resolve) => (this.waiting = { marker, found: resolve }));
    await this.client.ping(marker);
    await withTimeout(found, MARKER_TIMEOUT_MS, `MONITOR showing the ${what} marker`);
  }

  /** Everything the node ran since the start marker. */
  async stop(): Promise<MonitoredCommand[]> {
    await this.mark('end');
    return [...this.seen];
  }

  close(): void {
    this.monitor.disconnect();
    this.client.disconnect();
  }
}

/**
 * Runs `run` with every node of `urls` under MONITOR, and returns where each command ran,
 * node by node. `known` are commandstats names (to name subcommands as they do).
 */
export async function recordCommandOrigins(
  urls: string[],
  known: Iterable<string>,
  run: () => Promise<void>,
): Promise<Map<string, CommandOrigins>> {
  const recordings: MonitorRecording[] = [];
  try {
    for (const url of urls) recordings.push(await MonitorRecording.start(url));
    await run();
    const names = new Set(known);
    const byNode = new Map<string, CommandOrigins>();
    for (const [i, recording] of recordings.entries())
      byNode.set(nodeName(urls[i]), originsOf(await recording.stop(), names));
    return byNode;
  } finally {
    for (const recording of recordings) recording.close();
  }
}
