import { access } from 'node:fs/promises';
import { connect } from 'node:net';
import { Cluster } from 'ioredis';
import { ClusterNodeAddress, RedisCluster } from '../support/redis-cluster';

/** The test support's Redis Cluster is a real one: slots, hash tags, CROSSSLOT, failover. */

/** Whether anything accepts a connection on this loopback port. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A key with its own hash tag whose slot `node` serves. */
async function keyOn(cluster: RedisCluster, node: ClusterNodeAddress): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const key = `{owned${i}}:key`;
    if ((await cluster.nodeOf(key)) === node) return key;
  }
  throw new Error(`no key found on ${node.port}`);
}

describe('RedisCluster (test support)', () => {
  let cluster: RedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    client = cluster.client();
  }, 30_000);

  afterAll(async () => {
    client?.disconnect();
    await cluster?.dispose();
  });

  it('runs three masters on loopback, named in seeds', async () => {
    expect(cluster.nodes).toHaveLength(3);
    for (const node of cluster.nodes) {
      expect(node.host).toBe('127.0.0.1');
      expect(node.port).toBeLessThan(55_535);
    }
    expect(cluster.seeds).toBe(cluster.nodes.map(({ port }) => `127.0.0.1:${port}`).join(','));
    const masters = (await cluster.topology()).filter((view) => view.role === 'master');
    expect(masters.map(({ port }) => port).sort()).toEqual(
      cluster.nodes.map(({ port }) => port).sort(),
    );
    expect(masters.flatMap(({ slots }) => slots).reduce((n, [a, b]) => n + b - a + 1, 0)).toBe(
      16384,
    );
  });

  it('spreads keys with different hash tags over the nodes, where nodeOf says', async () => {
    const keys = ['{alpha}:k', '{beta}:k', '{gamma}:k', '{delta}:k', '{epsilon}:k', '{zeta}:k'];
    for (const key of keys) await client.set(key, `value of ${key}`);
    const owners = await Promise.all(keys.map((key) => cluster.nodeOf(key)));
    expect(new Set(owners).size).toBeGreaterThanOrEqual(2);
    for (const [i, key] of keys.entries()) {
      expect(cluster.nodes).toContain(owners[i]);
      // the owner has the key itself; another node redirects
      const owner = cluster.nodeClient(owners[i]);
      const other = cluster.nodeClient(cluster.nodes.findIndex((node) => node !== owners[i]));
      try {
        expect(await owner.get(key)).toBe(`value of ${key}`);
        await expect(other.get(key)).rejects.toThrow(/MOVED/);
      } finally {
        owner.disconnect();
        other.disconnect();
      }
    }
  });

  it('runs a script on two keys sharing a hash tag', async () => {
    const result = await client.eval(
      "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]);" +
        " return redis.call('MGET', KEYS[1], KEYS[2])",
      2,
      '{page}:tree',
      '{page}:version',
      'v1',
    );
    expect(result).toEqual(['v1', 'v1']);
  });

  it('refuses a script on keys in different slots with CROSSSLOT', async () => {
    await expect(
      client.eval("return redis.call('MGET', KEYS[1], KEYS[2])", 2, '{a}:x', '{b}:y'),
    ).rejects.toThrow(/CROSSSLOT/);
  });

  it('flushAll empties every master', async () => {
    await client.set('{alpha}:flushed', '1');
    await client.set('{beta}:flushed', '1');
    await cluster.flushAll();
    for (const node of cluster.nodes) {
      const redis = cluster.nodeClient(node);
      try {
        expect(await redis.dbsize()).toBe(0);
      } finally {
        redis.disconnect();
      }
    }
  });
});

describe('RedisCluster failover (test support)', () => {
  let cluster: RedisCluster;

  beforeAll(async () => {
    cluster = await RedisCluster.start();
  }, 30_000);

  afterAll(async () => {
    await cluster?.dispose();
  });

  it('promotes a replica when its master is killed, keeping the data', async () => {
    const master = cluster.nodes[0];
    const replica = await cluster.addReplicaOf(0);
    expect(cluster.nodes).toHaveLength(4);
    const replicaView = (await cluster.topology()).find(({ port }) => port === replica.port);
    expect(replicaView?.role).toBe('replica');

    const key = await keyOn(cluster, master);
    const direct = cluster.nodeClient(master);
    try {
      await direct.set(key, 'kept');
      expect(await direct.wait(1, 2000)).toBe(1); // the replica has it
    } finally {
      direct.disconnect();
    }

    await cluster.killMaster(0);
    expect(cluster.isRunning(0)).toBe(false);
    expect(cluster.seeds).not.toContain(`:${master.port}`);
    await cluster.waitUntilHealthy(15_000);

    expect(await cluster.nodeOf(key)).toBe(replica);
    const promoted = (await cluster.topology()).find(({ port }) => port === replica.port);
    expect(promoted?.role).toBe('master');
    const client = cluster.client();
    try {
      expect(await client.get(key)).toBe('kept');
    } finally {
      client.disconnect();
    }
  }, 30_000);

  it('dispose stops every node and removes its folder', async () => {
    const ports = cluster.nodes.map(({ port }) => port);
    await cluster.dispose();
    for (const port of ports) expect(await answers(port)).toBe(false);
    await expect(access(cluster.dir)).rejects.toThrow(/ENOENT/);
    await cluster.dispose(); // again: nothing left to do
  });
});
