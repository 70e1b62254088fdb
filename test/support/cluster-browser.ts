import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { closeAll, launchBrowser, openTab, Tab } from './browser';
import { freePort } from './ports';
import { Replica, startReplica } from './replicas';
import { ONE_REDIS, RunningBackend, StoreBackend } from './store-backends';

/** Replicas of the built demo behind one Redis (or a Redis Cluster), and a browser. */
export interface ClusterInBrowser {
  /**
   * The environment of a replica (to start another one): the store, and the origins of every
   * replica, which may all send each other's tabs' events (one app on several addresses).
   */
  storeEnv: Record<string, string>;
  /** The running replicas; a test may replace one it restarted, and it is stopped after. */
  replicas: Replica[];
  browser: Browser;
  /** Opens `path` on replica `index` (from 0) in a tab of its own (own session). */
  open(index: number, path: string, via?: Browser): Promise<Tab>;
}

/**
 * Starts Redis (one server, or the backend given), `count` replicas (with `env` beside the
 * store's) and Chromium before the file's tests and closes everything (tabs included) after
 * them; call the returned function inside a test.
 */
export function clusterInBrowser(
  count = 2,
  backend: StoreBackend = ONE_REDIS,
  extraEnv: Record<string, string> = {},
): () => ClusterInBrowser {
  let redis: RunningBackend | undefined;
  let env: Record<string, string> | undefined;
  const replicas: Replica[] = [];
  let browser: Browser | undefined;
  const tabs: Tab[] = [];

  beforeAll(async () => {
    const built = join(__dirname, '..', '..', 'dist', 'apps', 'demo', 'main.js');
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
    const store = await backend.start();
    redis = store;
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const replicaEnv = {
      ...extraEnv,
      ...store.env,
      PUSHPAGE_ALLOWED_ORIGINS: ports.map((port) => `http://127.0.0.1:${port}`).join(','),
    };
    env = replicaEnv;
    const [started, launched] = await Promise.all([
      Promise.all(ports.map((port) => startReplica(replicaEnv, port))),
      launchBrowser(),
    ]);
    replicas.push(...started);
    browser = launched;
  }, 60_000);

  afterAll(async () => {
    await closeAll(
      ...tabs.map((t) => () => t.close()),
      () => browser?.close(),
      ...replicas.map((r) => () => r.stop()),
      () => redis?.stop(),
    );
  }, 30_000);

  return () => {
    const [readyRedis, readyBrowser] = [redis, browser];
    if (!readyRedis || !env || !readyBrowser || replicas.length !== count)
      throw new Error('setup failed: Redis, the replicas or the browser did not start');
    return {
      storeEnv: env,
      replicas,
      browser: readyBrowser,
      open: async (index, path, via) => {
        const tab = await openTab(via ?? readyBrowser, `${replicas[index].url}${path}`);
        tabs.push(tab);
        return tab;
      },
    };
  };
}
