/**
 * What one event costs inside Redis, from a window of `redis-stats` counters over N events,
 * an idle window (the background, subtracted) and where each command ran
 * (`redis-command-origin`).
 *
 * Every µs is counted once: the time of the commands as the servers sent them. An EVALSHA (or
 * an EXEC) already includes the µs of the commands it ran, which commandstats lists again
 * under their own names; those are reported apart (`usecInContainers`), never added.
 */
import { CommandOrigins, CONTAINERS } from './redis-command-origin';
import { addCommands, CommandStats, NodeWindow } from './redis-stats';

/** One command per event. */
export interface CommandCost {
  /** commandstats name: `hgetall`, `config|get` */
  command: string;
  calls: number;
  usec: number;
  /** the part of `calls` that Lua scripts ran (not sent by a server) */
  callsByScripts: number;
  /** the part of `usec` run by scripts or MULTI/EXEC: also in their EVALSHA's or EXEC's µs */
  usecInContainers: number;
}

/** What one event cost inside Redis (one node, or several taken together). */
export interface EventCost {
  events: number;
  /** commands per event as commandstats counts them: sent by the servers and run by scripts */
  commands: number;
  /** the part of `commands` the servers sent (EVALSHA, PUBLISH, MULTI and what it queued, ...) */
  sentCommands: number;
  /** µs of command time per event, each µs once */
  usec: number;
  /** µs per event of the EVALSHAs and EXECs, what they ran included (part of `usec`) */
  usecContainers: number;
  /** µs per event of the commands those ran (part of `usecContainers`) */
  usecInContainers: number;
  /** every commandstats µs added up: `usec` + `usecInContainers` (counts what those ran twice) */
  usecSummed: number;
  /** used_cpu_user + used_cpu_sys of redis-server per event, ms */
  cpuMs: number;
  /** events/s one Redis core could take: 1e6 / `usec`, and 1000 / `cpuMs` */
  ceilingFromUsec: number;
  ceilingFromCpu: number;
  /** per event, most calls first */
  byCommand: CommandCost[];
  /** what the idle window would have added over the measured window, per event (subtracted) */
  background: { commands: number; usec: number; cpuMs: number };
}

/** A window of counters and how long it was. */
export interface CountedWindow {
  ms: number;
  node: NodeWindow;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Shares (0–1) of a command's calls run by scripts, and run by scripts or transactions;
 * none for a command the recording did not see run inside.
 */
function insideShares(origins: CommandOrigins, command: string): { scripts: number; any: number } {
  const o = origins.get(command);
  const all = o ? o.client + o.script + o.transaction : 0;
  if (!o || all === 0) return { scripts: 0, any: 0 };
  return { scripts: o.script / all, any: (o.script + o.transaction) / all };
}

/** `measured` minus `idle` scaled to the measured window's length; nothing below zero. */
function withoutBackground(measured: CountedWindow, idle: CountedWindow): CommandStats {
  const net: CommandStats = addCommands(new Map(), measured.node.commands);
  addCommands(net, idle.node.commands, -measured.ms / idle.ms);
  for (const [command, stat] of net)
    net.set(command, { calls: Math.max(0, stat.calls), usec: Math.max(0, stat.usec) });
  return net;
}

/**
 * The cost of one of `events` events from the measured and idle windows and the origins.
 * A command seen both sent and run inside has its µs split in proportion to its calls.
 */
export function eventCost(
  events: number,
  measured: CountedWindow,
  idle: CountedWindow,
  origins: CommandOrigins,
): EventCost {
  const scale = measured.ms / idle.ms;
  const byCommand: CommandCost[] = [];
  for (const [command, stat] of withoutBackground(measured, idle)) {
    const inside = insideShares(origins, command);
    const calls = stat.calls / events;
    const usec = stat.usec / events;
    if (calls <= 0) continue;
    byCommand.push({
      command,
      calls,
      usec,
      callsByScripts: calls * inside.scripts,
      usecInContainers: usec * inside.any,
    });
  }
  byCommand.sort((a, b) => b.calls - a.calls || b.usec - a.usec);
  const once = (c: CommandCost) => c.usec - c.usecInContainers;
  const usec = sum(byCommand.map(once));
  const cpuMs = Math.max(0, measured.node.cpuMs - idle.node.cpuMs * scale) / events;
  const idleStats = [...idle.node.commands.values()];
  return {
    events,
    commands: sum(byCommand.map((c) => c.calls)),
    sentCommands: sum(byCommand.map((c) => c.calls - c.callsByScripts)),
    usec,
    usecContainers: sum(byCommand.filter((c) => CONTAINERS.has(c.command)).map(once)),
    usecInContainers: sum(byCommand.map((c) => c.usecInContainers)),
    usecSummed: sum(byCommand.map((c) => c.usec)),
    cpuMs,
    ceilingFromUsec: 1e6 / usec,
    ceilingFromCpu: 1000 / cpuMs,
    byCommand,
    background: {
      commands: (sum(idleStats.map((s) => s.calls)) * scale) / events,
      usec: (sum(idleStats.map((s) => s.usec)) * scale) / events,
      cpuMs: (idle.node.cpuMs * scale) / events,
    },
  };
}

/** A number of calls as short as it reads: 22, 3.05, 0.4. */
function calls(n: number): string {
  return String(Number(n.toFixed(n >= 10 ? 0 : 2)));
}

/** The busiest commands per event: `HGETALL 22, LRANGE 22, EVALSHA 3.05`. */
export function topCommands(cost: EventCost, count = 6): string {
  const shown = cost.byCommand
    .slice(0, count)
    .map((c) => `${c.command.toUpperCase()} ${calls(c.calls)}`);
  const rest = cost.byCommand.slice(count);
  if (rest.length > 0) shown.push(`${rest.length} more ${calls(sum(rest.map((c) => c.calls)))}`);
  return shown.join(', ');
}

/** One line for the progress log. */
export function describeEventCost(cost: EventCost): string {
  return (
    `${calls(cost.commands)} commands per event (${calls(cost.sentCommands)} sent), ` +
    `${cost.usec.toFixed(0)} µs inside Redis (EVALSHA/EXEC ${cost.usecContainers.toFixed(0)}, ` +
    `of which the commands they ran ${cost.usecInContainers.toFixed(0)}), ` +
    `CPU ${cost.cpuMs.toFixed(3)} ms; ${topCommands(cost)}`
  );
}
