/**
 * A Redis Cluster master fails while tabs click the shared counter: its replica is promoted,
 * events that meet the failover are refused as retryable and sent again by the tabs, and
 * every click acknowledged before, during and after counts exactly once.
 */
import { NodeTab } from '../support/node-tab';
import { waitFor } from '../support/ports';
import { RedisCluster } from '../support/redis-cluster';
import { Replica, startReplica } from '../support/replicas';

jest.setTimeout(120_000);

const isButton = (n: { p: Record<string, unknown> }) =>
  (n.p.attrs as { id?: string } | undefined)?.id === 'click';
const isCount = (n: { p: Record<string, unknown> }) =>
  (n.p.attrs as { id?: string } | undefined)?.id === 'count';

describe('a Redis Cluster master fails over while tabs click', () => {
  let cluster: RedisCluster;
  let replicas: Replica[] = [];
  const tabs: NodeTab[] = [];

  beforeAll(async () => {
    cluster = await RedisCluster.start({ masters: 3 });
    for (const master of [0, 1, 2]) await cluster.addReplicaOf(master);
    const env = { REDIS_CLUSTER_NODES: cluster.seeds, PUSHPAGE_SOCKET_RATE_LIMIT: '10000' };
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
  }, 90_000);

  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await cluster?.dispose();
  }, 30_000);

  it('counts every acknowledged click once, across the promotion of a replica', async () => {
    for (let i = 0; i < 4; i++) tabs.push(await NodeTab.open(replicas[i % 2].url, '/counter'));
    const [first] = tabs;
    const counterScope = Object.keys(first.page.snapshot.versions).find(
      (id) => id !== first.pageId,
    );
    if (!counterScope) throw new Error('the counter page shows no shared counter');
    const holder = await cluster.nodeOf(`pp:{${counterScope}}`);
    const masterIndex = cluster.nodes.findIndex((n) => n.port === holder.port);

    const clicksPerTab = 15;
    const click = (tab: NodeTab) =>
      tab.connection.send({ pageId: tab.pageId, componentId: tab.nodeId(isButton), type: 'click' });
    const sending = (async () => {
      for (let c = 0; c < clicksPerTab; c++) {
        for (const tab of tabs) click(tab);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    // the master holding the counter dies while clicks are on their way
    await new Promise((r) => setTimeout(r, 500));
    const killedAt = Date.now();
    await cluster.killMaster(masterIndex);
    await sending;
    await cluster.waitUntilHealthy(30_000);
    const promotedAfterMs = Date.now() - killedAt;

    await waitFor(
      'every click acknowledged',
      () => tabs.every((tab) => tab.connection.unacknowledged === 0),
      60_000,
    ).catch((error: unknown) => {
      // what the tabs still wait for, and what the replicas said, to tell why
      const waiting = tabs.map((t) => t.connection.unacknowledged);
      const logs = replicas.map((r) => r.output.join('').slice(-3000)).join('\n----\n');
      throw new Error(`${String(error)}\nunacknowledged per tab: ${waiting}\n${logs}`);
    });
    const refused = tabs.flatMap((tab) => [...tab.answers.values()].filter((ack) => !ack.ok));
    expect(refused).toEqual([]);
    const total = tabs.length * clicksPerTab;
    const counter = first.nodeId(isCount);
    await waitFor(
      `every tab to show ${total}`,
      () => tabs.every((tab) => tab.texts(counter, 'div')[0] === `Clicked ${total} times`),
      30_000,
    );
    // a page loaded now, on either replica, reads the same count from the promoted replica
    const late = await NodeTab.open(replicas[1].url, '/counter');
    tabs.push(late);
    expect(late.texts(late.nodeId(isCount), 'div')[0]).toBe(`Clicked ${total} times`);
    process.stdout.write(
      `redis cluster failover: ${total} clicks counted, cluster ok again ${promotedAfterMs} ms after the kill\n`,
    );
  });
});
