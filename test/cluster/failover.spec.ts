import { Haproxy } from '../support/haproxy';
import { NodeTab } from '../support/node-tab';
import { waitFor } from '../support/ports';
import { Replica, startReplica } from '../support/replicas';
import { RunningBackend, STORE_BACKENDS } from '../support/store-backends';

/**
 * Tabs behind a round-robin load balancer, no stickiness: killing the replica a tab is on
 * moves the tab to another, on the same page, and nothing it sent is lost or applied twice.
 */
describe.each(STORE_BACKENDS)('reconnect anywhere, behind haproxy, on %s', (_, backend) => {
  let redis: RunningBackend;
  let replicas: Replica[] = [];
  let proxy: Haproxy;
  const tabs: NodeTab[] = [];

  beforeAll(async () => {
    redis = await backend.start();
    replicas = [await startReplica(redis.env), await startReplica(redis.env)];
    proxy = await Haproxy.start(replicas.map((r) => r.port));
  }, 60_000);

  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await proxy?.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.stop();
  }, 30_000);

  async function restart(i: number, signal: NodeJS.Signals): Promise<void> {
    const port = replicas[i].port;
    await replicas[i].stop(signal);
    replicas[i] = await startReplica(redis.env, port);
  }

  it('keeps each tab on its page through the death of every replica, applying every message once', async () => {
    const a = await NodeTab.open(proxy.url, '/message-board');
    const b = await NodeTab.open(proxy.url, '/message-board');
    tabs.push(a, b);
    const board = a.nodeId(
      (n) => typeof n.p.classes === 'string' && n.p.classes.includes('overflow-auto'),
    );
    const textarea = a.nodeId((n) => n.t === 'textarea');
    const button = a.nodeId((n) => n.t === 'button');
    const sent: string[] = [];
    const send = (text: string) => {
      sent.push(text);
      a.typeAndClick(textarea, button, text);
    };

    send('before any failure');
    for (const [i, signal] of [
      [0, 'SIGKILL'],
      [1, 'SIGTERM'],
      [0, 'SIGTERM'],
      [1, 'SIGKILL'],
    ] as const) {
      const stopping = restart(i, signal);
      // sent while the tab's replica may be going down: kept and sent again until acknowledged
      send(`during the restart of replica ${i + 1} (${signal})`);
      await stopping;
      await waitFor('the tab to be back', () => a.up && a.connection.unacknowledged === 0, 25_000);
      send(`after the restart of replica ${i + 1} (${signal})`);
    }

    // Each message exactly once, the same order in both tabs. Messages in flight together may
    // land in either order: handlers of one tab run concurrently, and a retried one lands later.
    const expected = [...sent].sort().concat('Welcome to the simple message board!');
    const seen = () => [a, b].map((tab) => tab.texts(board, 'pre'));
    const settled = () => {
      const [ta, tb] = seen();
      const sorted = [...ta.slice(0, -1)].sort().concat(ta.slice(-1));
      return (
        JSON.stringify(ta) === JSON.stringify(tb) &&
        JSON.stringify(sorted) === JSON.stringify(expected)
      );
    };
    await waitFor('every message, once, in both tabs', settled, 25_000).catch((error: Error) => {
      throw new Error(
        `${error.message}\nexpected ${JSON.stringify(expected)}\nseen ${JSON.stringify(seen())}\nerrors ${JSON.stringify([a.errors, b.errors])}`,
      );
    });
    expect(a.pageId).toBe(a.tree.pageId);
    expect([a.unusable, b.unusable]).toEqual([undefined, undefined]);
    const fresh = await NodeTab.open(proxy.url, '/message-board');
    tabs.push(fresh);
    expect(fresh.texts(board, 'pre')).toEqual(a.texts(board, 'pre'));
  }, 180_000);
});
