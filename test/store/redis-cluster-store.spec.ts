import { Cluster } from 'ioredis';
import { RedisStore } from '../../libs/pushpage/src/store/redis/redis-store';
import { RedisCluster } from '../support/redis-cluster';
import { storeContract } from './store.contract';

let cluster: RedisCluster;
let client: Cluster;
let run = 0;

beforeAll(async () => {
  cluster = await RedisCluster.start({ masters: 3 });
  // as the store provider makes it: auto-pipelining routes each call by its first key
  client = cluster.client({ enableAutoPipelining: true });
}, 60_000);

afterAll(async () => {
  client?.disconnect();
  await cluster?.dispose();
});

// The same contract on a 3-master Redis Cluster: every operation must stay in one hash slot
// (a script touching keys of two slots fails with CROSSSLOT), and scopes spread over nodes.
storeContract('redis cluster', async () => new RedisStore(client, `test${++run}:`, false));

describe('the store on a redis cluster', () => {
  it('spreads the scopes of many pages over every node', async () => {
    const store = new RedisStore(client, 'spread:', false);
    const ids = Array.from({ length: 60 }, (_, i) => `page${i}`);
    for (const id of ids) {
      await store.commit({
        ops: [
          {
            op: 'create',
            home: id,
            component: {
              id,
              type: 'WebPage',
              parent: null,
              children: [],
              scope: true,
              fields: {},
            },
          },
        ],
        bump: [id],
      });
    }
    const nodes = new Set<number>();
    for (const id of ids) nodes.add((await cluster.nodeOf(`spread:{${id}}`)).port);
    expect(nodes.size).toBe(3);
    expect(await store.countComponents()).toBe(60);
  });
});
