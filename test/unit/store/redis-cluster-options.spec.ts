/**
 * The Redis Cluster options without a cluster: which combinations of `redisUrl`,
 * `redisClusterNodes` and `redis` start, how seed nodes are checked, what the cluster client
 * options say, and the adapter's guard against a failing server count.
 */
import { Cluster } from 'ioredis';
import type { Namespace } from 'socket.io';
import { pushpageClusterOptions } from 'pushpage';
import { withSafeServerSideEmit } from '../../../libs/pushpage/src/edges/socket/adapter-guards';
import {
  PushpageModuleOptions,
  resolveOptions,
  usesRedis,
} from '../../../libs/pushpage/src/options';
import { clusterConnectionOptions } from '../../../libs/pushpage/src/store/redis/redis-options';

const clients: Cluster[] = [];
/** A Cluster client that never connects. */
function lazyCluster(options: ConstructorParameters<typeof Cluster>[1] = {}): Cluster {
  const cluster = new Cluster([{ host: '127.0.0.1', port: 7000 }], {
    ...options,
    lazyConnect: true,
  });
  clients.push(cluster);
  return cluster;
}
afterAll(() => clients.forEach((cluster) => cluster.disconnect()));

function refusal(options: PushpageModuleOptions): string {
  try {
    resolveOptions(options);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('redisUrl, redisClusterNodes and redis', () => {
  it.each<[string, () => PushpageModuleOptions, string[]]>([
    [
      'a URL and seeds',
      () => ({ redisUrl: 'redis://127.0.0.1:6379', redisClusterNodes: ['127.0.0.1:7000'] }),
      ['redisUrl', 'redisClusterNodes'],
    ],
    [
      'seeds and a client',
      () => ({ redisClusterNodes: ['127.0.0.1:7000'], redis: lazyCluster() }),
      ['redisClusterNodes', 'redis'],
    ],
    [
      'a URL and a client',
      () => ({ redisUrl: 'redis://127.0.0.1:6379', redis: lazyCluster() }),
      ['redisUrl', 'redis'],
    ],
    [
      'all three',
      () => ({
        redisUrl: 'redis://127.0.0.1:6379',
        redisClusterNodes: ['127.0.0.1:7000'],
        redis: lazyCluster(),
      }),
      ['redisUrl', 'redisClusterNodes', 'redis'],
    ],
  ])('refuses %s, naming each', (_name, options, given) => {
    const message = refusal(options());
    expect(message).toMatch(/are set together; give only one of/);
    for (const option of given) expect(message).toContain(`the ${option} option of PushpageModule`);
  });

  it('names the settings as the app calls them', () => {
    const message = refusal({
      redisUrl: 'redis://127.0.0.1:6379',
      redisClusterNodes: ['127.0.0.1:7000'],
      settingNames: { redisUrl: 'REDIS_URL', redisClusterNodes: 'REDIS_CLUSTER_NODES' },
    });
    expect(message).toMatch(
      /^Pushpage options: REDIS_URL and REDIS_CLUSTER_NODES are set together/,
    );
  });

  it('takes an empty URL as unset', () => {
    const options = resolveOptions({ redisUrl: '', redisClusterNodes: ['127.0.0.1:7000'] });
    expect(options.redisUrl).toBeUndefined();
    expect(usesRedis(options)).toBe(true);
  });
});

describe('redisClusterNodes', () => {
  it('reads host:port seeds (names, IPv4, IPv6 in brackets) and puts the adapter on sharded pub/sub', () => {
    const options = resolveOptions({
      redisClusterNodes: ['redis-0.redis:6379', ' 10.0.0.5:7000', '[::1]:7001'],
    });
    expect(options.redisClusterNodes).toEqual([
      { host: 'redis-0.redis', port: 6379 },
      { host: '10.0.0.5', port: 7000 },
      { host: '::1', port: 7001 },
    ]);
    expect(options.adapter).toBe('sharded');
    expect(usesRedis(options)).toBe(true);
  });

  it.each([
    'redis-0',
    'redis-0:',
    ':6379',
    'redis-0:0',
    'redis-0:65536',
    'redis-0:6379x',
    'redis 0:6379',
    '::1:7000',
    '[]:7000',
    'redis://redis-0:6379',
    '',
  ])('refuses the seed %j, naming the setting and the seed', (seed) => {
    const message = refusal({
      redisClusterNodes: ['127.0.0.1:7000', seed],
      settingNames: { redisClusterNodes: 'REDIS_CLUSTER_NODES' },
    });
    expect(message).toContain(`REDIS_CLUSTER_NODES: ${JSON.stringify(seed)} is not a seed node`);
    expect(message).toContain('port from 1 to 65535');
  });

  it('refuses an empty list, naming the option', () => {
    expect(refusal({ redisClusterNodes: [] })).toMatch(
      /^the redisClusterNodes option of PushpageModule lists no seed node/,
    );
  });

  it('accepts ports 1 and 65535', () => {
    expect(refusal({ redisClusterNodes: ['a:1', 'b:65535'] })).toBe('accepted');
  });
});

describe('the adapter on a Redis Cluster', () => {
  it('is sharded with a Cluster client too, and classic on one Redis by default', () => {
    expect(resolveOptions({ redis: lazyCluster() }).adapter).toBe('sharded');
    expect(resolveOptions({ redisUrl: 'redis://127.0.0.1:6379' }).adapter).toBe('classic');
    expect(resolveOptions({ redisClusterNodes: ['a:1'], adapter: 'sharded' }).adapter).toBe(
      'sharded',
    );
  });

  it.each<[string, () => PushpageModuleOptions]>([
    ['seeds', () => ({ redisClusterNodes: ['a:1'] })],
    ['a Cluster client', () => ({ redis: lazyCluster() })],
  ])('refuses classic pub/sub on %s, naming the setting', (_name, options) => {
    expect(
      refusal({
        ...options(),
        adapter: 'classic',
        settingNames: { adapter: 'PUSHPAGE_REDIS_ADAPTER' },
      }),
    ).toMatch(/PUSHPAGE_REDIS_ADAPTER is classic, which does not fit a Redis Cluster/);
  });

  it("refuses a Cluster client with ioredis' keyPrefix", () => {
    expect(refusal({ redis: lazyCluster({ keyPrefix: 'x:' }) })).toMatch(/keyPrefix/);
    expect(refusal({ redis: lazyCluster({ redisOptions: { keyPrefix: 'x:' } }) })).toMatch(
      /keyPrefix/,
    );
  });
});

describe('pushpageClusterOptions', () => {
  it('reads from masters, pipelines, limits each command, and retries a lost node for about 3 s', () => {
    const options = pushpageClusterOptions();
    expect(options).toMatchObject({
      scaleReads: 'master',
      enableAutoPipelining: true,
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 200,
      maxRedirections: 20,
      redisOptions: { connectTimeout: 3000, socketTimeout: 5000, commandTimeout: 5000 },
    });
  });

  it('gives the adapter the same, without pipelining or a command timeout', () => {
    const options = clusterConnectionOptions();
    expect(options.enableAutoPipelining).toBeUndefined();
    expect(options.redisOptions?.commandTimeout).toBeUndefined();
    expect(options.clusterRetryStrategy).toBe(pushpageClusterOptions().clusterRetryStrategy);
  });

  it('reconnects at once, then every second at most, failing waiting commands every third attempt', () => {
    const strategy = pushpageClusterOptions().clusterRetryStrategy;
    if (!strategy) throw new Error('no clusterRetryStrategy');
    const flushed: number[] = [];
    const cluster = { flushQueue: () => flushed.push(flushed.length) };
    const delays = Array.from({ length: 9 }, (_, i) => Number(strategy.call(cluster, i + 1)));
    expect(delays[0]).toBeLessThan(100);
    for (const delay of delays) expect(delay).toBeLessThan(1050);
    expect(delays[8]).toBeGreaterThanOrEqual(1000);
    expect(flushed).toHaveLength(3);
    // called without ioredis' internals (another ioredis): still a delay
    expect(Number(strategy.call(undefined, 3))).toBeGreaterThan(0);
  });
});

describe('withSafeServerSideEmit', () => {
  /** An adapter whose server count fails, as the Redis adapters' does while a node is down. */
  class CountFails {
    serverSideEmit(packet: unknown[]): Promise<void> {
      packet.pop();
      return Promise.reject(new Error('Connection is closed.'));
    }
  }
  const factory = withSafeServerSideEmit(
    () => new CountFails() as unknown as Namespace['adapter'],
    () => undefined,
  );

  it('hands a failed count to the acknowledgement instead of leaving a rejection unhandled', async () => {
    // Socket.IO constructs the adapter with `new`
    const Factory = factory as unknown as new (nsp: Namespace) => Namespace['adapter'];
    const adapter = new Factory({} as Namespace);
    const answer = new Promise<[Error, unknown[]]>((resolve) =>
      adapter.serverSideEmit([
        'ping',
        (error: Error, responses: unknown[]) => resolve([error, responses]),
      ]),
    );
    const [error, responses] = await answer;
    expect(error.message).toBe('Connection is closed.');
    expect(responses).toEqual([]);
  });

  it('reports a failure without an acknowledgement', async () => {
    const failures: Error[] = [];
    const adapter = withSafeServerSideEmit(
      () => new CountFails() as unknown as Namespace['adapter'],
      (error) => failures.push(error),
    )({} as Namespace);
    adapter.serverSideEmit(['news']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures.map((e) => e.message)).toEqual(['Connection is closed.']);
  });
});
