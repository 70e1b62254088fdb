import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisServer } from '../support/redis-server';
import { startReplica } from '../support/replicas';
import { BENCH_ENV } from './systems';
import { ServerProcess } from '../support/server-process';
import { track, untrack } from './cleanup';
import { cpuMs } from './proc';
import { SystemKind } from './protocol';

/** Pages must not expire mid-run: an hour of grace. */
const GRACE_MS = '3600000';

/**
 * Starts one bare REST server (`bare-rest-server.ts`, built) on a Redis: `REDIS_URL` for one
 * Redis, `REDIS_CLUSTER_NODES` for a Redis Cluster.
 */
export function startBareRest(redis: Record<string, string>): Promise<ServerProcess> {
  return ServerProcess.start({
    name: 'bare REST server',
    script: join(__dirname, 'bare-rest-server.js'),
    env: redis,
    readyPath: '/health',
    stdinPipe: true,
  });
}

/** Two servers of one kind on the shared Redis. */
export interface RestServers {
  kind: SystemKind;
  urls: string[];
  pids: number[];
}

/** CPU of both servers and Redis's command count, taken at one moment. */
export interface Sample {
  at: number;
  serversCpuMs: number;
  redisCommands: number;
}

/**
 * One Redis for both systems: the Pushpage replicas create the pages, are measured and
 * stopped; then two bare REST servers read the same pages from the same Redis.
 */
export class RestBench {
  private servers: ServerProcess[] = [];
  current: RestServers | undefined;

  private constructor(
    private readonly redisServer: RedisServer,
    readonly redis: Redis,
    private readonly redisPid: number,
  ) {}

  /** The Redis both systems use, `redis://127.0.0.1:<port>`. */
  get redisUrl(): string {
    return this.redisServer.url;
  }

  static async start(): Promise<RestBench> {
    const redisServer = await RedisServer.start();
    const redis = redisServer.client();
    const info = await redis.info('server');
    const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1] ?? -1);
    track(redisPid);
    return new RestBench(redisServer, redis, redisPid);
  }

  /**
   * Stops the running servers, if any, and starts two of `kind` (Pushpage replicas with `env`
   * on top of the bench's).
   */
  async use(kind: SystemKind, env: Record<string, string> = {}): Promise<RestServers> {
    await this.stopServers();
    const url = this.redisServer.url;
    for (let i = 0; i < 2; i++) {
      const server =
        kind === 'pushpage'
          ? await startReplica({
              ...BENCH_ENV,
              REDIS_URL: url,
              PUSHPAGE_DISCONNECT_GRACE_MS: GRACE_MS,
              ...env,
            })
          : await startBareRest({ REDIS_URL: url });
      track(server.pid);
      this.servers.push(server);
    }
    this.current = {
      kind,
      urls: this.servers.map((s) => s.url),
      pids: this.servers.map((s) => s.pid),
    };
    return this.current;
  }

  async sample(): Promise<Sample> {
    const stats = await this.redis.info('stats');
    const redisCommands = Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? NaN);
    const serversCpuMs = this.servers.reduce((sum, s) => sum + cpuMs(s.pid), 0);
    return { at: Date.now(), serversCpuMs, redisCommands };
  }

  /** Last lines the servers printed (to explain a failure). */
  output(): string {
    return this.servers.map((s, i) => `--- server ${i + 1}\n${s.output.join('')}`).join('\n');
  }

  /** Stops the running servers (SIGTERM: a Pushpage replica shuts down cleanly). */
  async stopServers(): Promise<void> {
    await Promise.allSettled(this.servers.map((s) => s.stop().then(() => untrack(s.pid))));
    this.servers = [];
    this.current = undefined;
  }

  async stop(): Promise<void> {
    await this.stopServers();
    this.redis.disconnect();
    await this.redisServer.stop();
    untrack(this.redisPid);
  }
}

/** Runs `body` on a fresh RestBench and stops everything after, printing the servers' output on failure. */
export async function withRestBench<T>(body: (bench: RestBench) => Promise<T>): Promise<T> {
  const bench = await RestBench.start();
  try {
    return await body(bench);
  } catch (error) {
    console.error(`REST servers said, last:\n${bench.output().slice(-4000)}`);
    throw error;
  } finally {
    await bench.stop();
  }
}

/** The figures of a measured window from two samples. */
export function windowOf(
  before: Sample,
  after: Sample,
): { seconds: number; cpuPercent: number; redisOpsPerSec: number; redisCommands: number } {
  const seconds = (after.at - before.at) / 1000;
  const redisCommands = after.redisCommands - before.redisCommands;
  return {
    seconds,
    cpuPercent: ((after.serversCpuMs - before.serversCpuMs) / (seconds * 1000)) * 100,
    redisOpsPerSec: redisCommands / seconds,
    redisCommands,
  };
}

/** Opens a page of `route` on `baseUrl` over REST: its id, session cookie and tree. */
export async function openPage(
  baseUrl: string,
  route: string,
): Promise<{ pageId: string; cookie: string; tree: ViewNode }> {
  const res = await fetch(`${baseUrl}/api/pages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route }),
  });
  if (res.status !== 201) throw new Error(`POST /api/pages ${route}: ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  const view = (await res.json()) as { pageId: string; tree: ViewNode };
  return { pageId: view.pageId, cookie, tree: view.tree };
}

/** A node of the REST API's page view, as far as the bench reads it. */
export interface ViewNode {
  id: string;
  props: Record<string, unknown>;
  events?: string[];
  children?: ViewNode[];
}
