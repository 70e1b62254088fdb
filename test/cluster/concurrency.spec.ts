import { NodeTab } from '../support/node-tab';
import { waitFor } from '../support/ports';
import { Replica, startReplica } from '../support/replicas';
import { ONE_REDIS, REDIS_CLUSTER, RunningBackend, StoreBackend } from '../support/store-backends';

const CLIENTS = 6;
const MESSAGES = 50;

const SETUPS: [string, string, StoreBackend][] = [
  ['classic', ONE_REDIS.name, ONE_REDIS],
  ['sharded', ONE_REDIS.name, ONE_REDIS],
  ['sharded', REDIS_CLUSTER.name, REDIS_CLUSTER],
];

describe.each(SETUPS)(
  'three replicas (%s Redis adapter, %s), six tabs, fifty messages each, all at once',
  (adapter, _, backend) => {
    let redis: RunningBackend | undefined;
    let replicas: Replica[] = [];
    const tabs: NodeTab[] = [];

    beforeAll(async () => {
      const store = await backend.start();
      redis = store;
      // each tab sends as soon as its last message is answered, faster than a person types
      // (over 20 a second): the order is under test here, the rate limit in security.spec.ts
      const env = {
        ...store.env,
        PUSHPAGE_REDIS_ADAPTER: adapter,
        PUSHPAGE_SOCKET_RATE_LIMIT: '1000',
      };
      replicas = await Promise.all([0, 1, 2].map(() => startReplica(env)));
    }, 60_000);

    afterAll(async () => {
      for (const tab of tabs) tab.close();
      await Promise.all(replicas.map((r) => r.stop()));
      await redis?.stop();
    }, 30_000);

    it('lands every message in every tab, in one order', async () => {
      for (let i = 0; i < CLIENTS; i++)
        tabs.push(await NodeTab.open(replicas[i % 3].url, '/message-board'));
      const board = tabs[0].nodeId(
        (n) => typeof n.p.classes === 'string' && n.p.classes.includes('overflow-auto'),
      );

      await Promise.all(
        tabs.map(async (tab, c) => {
          const textarea = tab.nodeId((n) => n.t === 'textarea');
          const button = tab.nodeId((n) => n.t === 'button');
          for (let m = 0; m < MESSAGES; m++) {
            tab.typeAndClick(textarea, button, `tab ${c} message ${m}`);
            await waitFor(
              'the acknowledgement',
              () => tab.connection.unacknowledged === 0,
              10_000,
              5,
            );
          }
        }),
      );

      await waitFor(
        'all messages in every tab',
        () => tabs.every((tab) => tab.texts(board, 'pre').length === CLIENTS * MESSAGES + 1),
        20_000,
      );
      const orders = tabs.map((tab) => tab.texts(board, 'pre'));
      for (const order of orders) expect(order).toEqual(orders[0]);
      const expected = tabs.flatMap((_, c) =>
        Array.from({ length: MESSAGES }, (_, m) => `tab ${c} message ${m}`),
      );
      expect(orders[0].slice(0, -1).sort()).toEqual(expected.sort());
      expect(orders[0].at(-1)).toBe('Welcome to the simple message board!');
      // newest first: each tab's own messages appear in reverse order of sending
      for (let c = 0; c < CLIENTS; c++) {
        const own = orders[0].filter((t) => t.startsWith(`tab ${c} `));
        expect(own).toEqual(
          Array.from({ length: MESSAGES }, (_, m) => `tab ${c} message ${MESSAGES - 1 - m}`),
        );
      }
      // a fresh load on any replica shows the same board
      for (const replica of replicas) {
        const fresh = await NodeTab.open(replica.url, '/message-board');
        tabs.push(fresh);
        expect(fresh.texts(board, 'pre')).toEqual(orders[0]);
      }
      for (const tab of tabs) expect(tab.errors).toEqual([]);
    }, 120_000);
  },
);
