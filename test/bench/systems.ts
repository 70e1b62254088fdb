import { Redis } from 'ioredis';
import { RedisServer } from '../support/redis-server';
import { startReplica } from '../support/replicas';
import { startBaseline } from './baseline-process';
import { track, untrack } from './cleanup';
import { SystemKind } from './protocol';

/** Pages must not expire mid-run: an hour of grace after a tab disconnects. */
const GRACE_MS = '3600000';

/** Calls and total time of one Redis command, from INFO commandstats. */
export interface CommandStat {
  calls: number;
  usec: number;
}

/** Two server processes on one fresh Redis: the system under test or the baseline. */
export interface System {
  kind: SystemKind;
  /** base URLs of the two servers */
  urls: string[];
  /** process ids of the two servers */
  pids: number[];
  /** process id of redis-server */
  redisPid: number;
  /** the Redis both servers use, `redis://127.0.0.1:<port>` */
  redisUrl: string;
  /** INFO commandstats of the Redis, by command name */
  commandStats(): Promise<Map<string, CommandStat>>;
  /** Last lines the servers printed (to explain a failure). */
  output(): string;
  stop(): Promise<void>;
}

interface Server {
  url: string;
  pid: number;
  output: string[];
  stop(): Promise<void>;
}

async function redisPidOf(client: Redis): Promise<number> {
  const info = await client.info('server');
  return Number(/process_id:(\d+)/.exec(info)?.[1] ?? -1);
}

function parseCommandStats(info: string): Map<string, CommandStat> {
  const stats = new Map<string, CommandStat>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    stats.set(m[1], { calls: Number(m[2]), usec: Number(m[3]) });
  return stats;
}

async function startOn(
  kind: SystemKind,
  start: (redisUrl: string) => Promise<Server>,
): Promise<System> {
  const redis = await RedisServer.start();
  const client = redis.client();
  const redisPid = await redisPidOf(client);
  track(redisPid);
  const servers: Server[] = [];
  const stop = async () => {
    await Promise.allSettled(servers.map((s) => s.stop().then(() => untrack(s.pid))));
    client.disconnect();
    await redis.stop();
    untrack(redisPid);
  };
  try {
    for (let i = 0; i < 2; i++) {
      const server = await start(redis.url);
      track(server.pid);
      servers.push(server);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    kind,
    urls: servers.map((s) => s.url),
    pids: servers.map((s) => s.pid),
    redisPid,
    redisUrl: redis.url,
    commandStats: async () => parseCommandStats(await client.info('commandstats')),
    output: () => servers.map((s, i) => `--- server ${i + 1}\n${s.output.join('')}`).join('\n'),
    stop,
  };
}

/** Two replicas of the built demo on a fresh Redis. */
/**
 * What benchmark replicas run with: the abuse limits out of the way (the benchmarks drive one
 * tab and one session far past what a person sends) and no per-request log lines, which the
 * baseline does not write either.
 */
export const BENCH_ENV: Record<string, string> = {
  PUSHPAGE_SOCKET_RATE_LIMIT: '100000',
  PUSHPAGE_REST_RATE_LIMIT: '1000000',
  PUSHPAGE_MAX_PAGES_PER_SESSION: '100000',
  PUSHPAGE_PAGE_RATE_LIMIT: '1000000',
  // the board scenarios grow the board to 1,000 messages and more
  DEMO_BOARD_MESSAGES: '1000000',
  PUSHPAGE_LOG_LEVEL: 'warn',
};

export function startPushpage(): Promise<System> {
  return startOn('pushpage', (redisUrl) =>
    startReplica({ ...BENCH_ENV, REDIS_URL: redisUrl, PUSHPAGE_DISCONNECT_GRACE_MS: GRACE_MS }),
  );
}

/** Two bare Socket.IO servers with the Redis adapter on a fresh Redis. */
export function startBare(): Promise<System> {
  return startOn('bare', (redisUrl) => startBaseline(redisUrl));
}

/** Starts the system of a kind. */
export function startSystem(kind: SystemKind): Promise<System> {
  return kind === 'pushpage' ? startPushpage() : startBare();
}
