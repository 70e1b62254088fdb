import { join } from 'node:path';
import { ServerProcess } from './server-process';

/**
 * Tests open pages from one address far faster than people do, and count every message
 * they post: the per-address page limit and the board's size are raised (a test of either
 * sets its own).
 */
export const TEST_LIMITS: Record<string, string> = {
  PUSHPAGE_PAGE_RATE_LIMIT: '100000',
  // suites count every message they post on the board
  DEMO_BOARD_MESSAGES: '1000000',
};

/** A built example app (`npm run build` makes it), from test/support or dist/test/support. */
function builtAppMain(app: 'demo' | 'ops'): string {
  const compiled = __filename.endsWith('.js');
  return compiled
    ? join(__dirname, '..', '..', 'apps', app, 'main.js')
    : join(__dirname, '..', '..', 'dist', 'apps', app, 'main.js');
}

/** One replica of the built demo, as its own process on a loopback port. */
export type Replica = ServerProcess;

/** Starts one process of a built example app with these environment variables. */
function startApp(
  app: 'demo' | 'ops',
  env: Record<string, string>,
  port?: number,
): Promise<Replica> {
  return ServerProcess.start({
    name: app === 'demo' ? 'replica' : `${app} replica`,
    script: builtAppMain(app),
    // tests read /metrics on the app's port
    env: {
      ...TEST_LIMITS,
      PUSHPAGE_SESSION_SECRET: 'test-secret-0123456789',
      PUSHPAGE_METRICS_PUBLIC: 'true',
      ...env,
    },
    readyPath: '/pushpage/static/pushpage.css',
    port,
  });
}

/** Starts one replica of the built demo with these environment variables. */
export function startReplica(env: Record<string, string>, port?: number): Promise<Replica> {
  return startApp('demo', env, port);
}

/** Starts `count` replicas sharing one Redis. */
export async function startReplicas(
  count: number,
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<Replica[]> {
  return Promise.all(
    Array.from({ length: count }, () => startReplica({ REDIS_URL: redisUrl, ...env })),
  );
}

/** Starts one replica of the built ops dashboard (`apps/ops`) with these environment variables. */
export function startOpsReplica(env: Record<string, string>, port?: number): Promise<Replica> {
  return startApp('ops', env, port);
}
