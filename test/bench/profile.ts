import { cpuMs } from './proc';
import { CommandStat, System } from './systems';

/** Where CPU went during a run, per message. */
export interface CpuProfile {
  messages: number;
  /** CPU ms per message of the two servers, Redis, and the client worker(s) */
  serversMs: number;
  redisMs: number;
  clientsMs: number;
  /** Redis commands per message, and the time Redis spent in them (µs), busiest first */
  redis: { command: string; calls: number; usec: number }[];
}

interface Mark {
  cpu: number[];
  stats: Map<string, CommandStat>;
}

/** Starts measuring CPU and Redis commands; `finish(messages)` gives the per-message profile. */
export async function startProfile(
  system: System,
  clientPids: number[],
): Promise<{ finish(messages: number): Promise<CpuProfile> }> {
  const pids = [...system.pids, system.redisPid, ...clientPids];
  const mark = async (): Promise<Mark> => ({
    cpu: pids.map(cpuMs),
    stats: await system.commandStats(),
  });
  const before = await mark();
  return {
    async finish(messages: number): Promise<CpuProfile> {
      const after = await mark();
      const used = pids.map((_, i) => (after.cpu[i] - before.cpu[i]) / Math.max(1, messages));
      const servers = system.pids.length;
      const sum = (from: number, to: number) => used.slice(from, to).reduce((a, b) => a + b, 0);
      const redis: CpuProfile['redis'] = [];
      for (const [command, stat] of after.stats) {
        const was = before.stats.get(command) ?? { calls: 0, usec: 0 };
        const calls = (stat.calls - was.calls) / Math.max(1, messages);
        if (calls > 0)
          redis.push({ command, calls, usec: (stat.usec - was.usec) / Math.max(1, messages) });
      }
      redis.sort((a, b) => b.usec - a.usec);
      return {
        messages,
        serversMs: sum(0, servers),
        redisMs: sum(servers, servers + 1),
        clientsMs: sum(servers + 1, pids.length),
        redis,
      };
    },
  };
}

/** One line describing a profile. */
export function describeProfile(p: CpuProfile): string {
  const commands = p.redis
    .filter((c) => c.command !== 'info')
    .slice(0, 6)
    .map((c) => `${c.command} ×${c.calls.toFixed(1)} ${c.usec.toFixed(0)} µs`)
    .join(', ');
  return (
    `CPU per message: servers ${p.serversMs.toFixed(2)} ms, redis ${p.redisMs.toFixed(2)} ms, ` +
    `clients ${p.clientsMs.toFixed(2)} ms; redis commands per message: ${commands || 'none'}`
  );
}
