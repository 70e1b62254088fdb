import { ConfigError, loadConfig } from '../../apps/demo/config';
import { OpsConfig } from '../../apps/ops/config';
import { resolveOptions } from '../../libs/pushpage/src/options';

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('the demo configuration', () => {
  it('has defaults for everything, and treats empty values as unset', () => {
    const config = loadConfig({ PORT: '', REDIS_URL: '' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      production: false,
      log: { format: 'json', level: 'info' },
      pushpage: { redisUrl: undefined, adapter: 'classic', shutdownDelayMs: 0 },
    });
    const production = {
      NODE_ENV: 'production',
      PUSHPAGE_SESSION_SECRET: 'k3Jd9aP0qL2mZx7c',
      PUSHPAGE_PUBLIC_ORIGINS: 'https://app.example.com',
    };
    expect(loadConfig(production).pushpage.shutdownDelayMs).toBe(5000);
  });

  it('reads PUSHPAGE_TRUST_PROXY as Express takes it: off by default, hops, addresses, true', () => {
    const trust = (value?: string) =>
      loadConfig({ PUSHPAGE_TRUST_PROXY: value }).pushpage.trustProxy;
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('loopback,10.0.0.0/8')).toBe('loopback,10.0.0.0/8');
    expect(trust('true')).toBe(true);
    expect(refusal({ PUSHPAGE_TRUST_PROXY: '10.0.0.0/8; rm' })).toMatch(/^PUSHPAGE_TRUST_PROXY=/);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT="eighty": .*PORT must be an integer number/],
    [{ PORT: '70000' }, /^PORT="70000": PORT must not be greater than 65535/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL="localhost:6379": REDIS_URL must start with/],
    [{ PUSHPAGE_SESSION_SECRET: 'short' }, /^PUSHPAGE_SESSION_SECRET="short"/],
    [{ PUSHPAGE_REDIS_ADAPTER: 'cluster' }, /^PUSHPAGE_REDIS_ADAPTER="cluster"/],
    [{ PUSHPAGE_LOG_FORMAT: 'xml' }, /^PUSHPAGE_LOG_FORMAT="xml"/],
    [{ PUSHPAGE_SHUTDOWN_DELAY_MS: '-1' }, /^PUSHPAGE_SHUTDOWN_DELAY_MS="-1"/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV="staging"/],
    [{ PUSHPAGE_SESSION_MAX_AGE_MS: '999' }, /^PUSHPAGE_SESSION_MAX_AGE_MS="999": .*not be less/],
    [{ PUSHPAGE_SESSION_IDLE_MS: '7d' }, /^PUSHPAGE_SESSION_IDLE_MS="7d": .*integer/],
    [{ NODE_ENV: 'production' }, /^PUSHPAGE_SESSION_SECRET is required in production/],
    [
      { NODE_ENV: 'production', PUSHPAGE_SESSION_SECRET: 'k3Jd9aP0qL2mZx7c' },
      /^PUSHPAGE_PUBLIC_ORIGINS is required in production/,
    ],
    [{ PUSHPAGE_PUBLIC_ORIGINS: 'app.example.com' }, /^PUSHPAGE_PUBLIC_ORIGINS="app.example.com"/],
    [
      {
        NODE_ENV: 'production',
        PUSHPAGE_SESSION_SECRET: 'k3Jd9aP0qL2mZx7c',
        PUSHPAGE_PUBLIC_ORIGINS: 'https://app.example.com',
        PUSHPAGE_METRICS_PUBLIC: 'true',
      },
      /^PUSHPAGE_METRICS_PUBLIC=true is refused in production/,
    ],
    [{ PUSHPAGE_METRICS_PORT: '8000' }, /^PUSHPAGE_METRICS_PORT must differ from PORT/],
    [{ PUSHPAGE_METRICS_TOKEN: 'short' }, /^PUSHPAGE_METRICS_TOKEN="short"/],
    [
      { PUSHPAGE_SESSION_SECRET: 'change-me-change-me' },
      /^PUSHPAGE_SESSION_SECRET is a placeholder/,
    ],
    [
      { PUSHPAGE_SESSION_SECRET: 'a-new-secret-0123456789,short' },
      /^PUSHPAGE_SESSION_SECRET="a-new-secret-0123456789,short": .*comma-separated/,
    ],
    [
      { PUSHPAGE_SESSION_SECRET: 'a-new-secret-0123456789,replace-me-0123456789' },
      /^PUSHPAGE_SESSION_SECRET is a placeholder/,
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(refusal(env)).toMatch(message);
  });

  it('reads a rotation list, the new secret first, and names the variable in Pushpage messages', () => {
    const config = loadConfig({
      PUSHPAGE_SESSION_SECRET: 'a-new-secret-0123456789,the-old-secret-0123456789',
    });
    expect(config.pushpage.sessionSecret).toEqual([
      'a-new-secret-0123456789',
      'the-old-secret-0123456789',
    ]);
    expect(config.pushpage.settingNames?.sessionSecret).toBe('PUSHPAGE_SESSION_SECRET');
  });

  it('derives its public origins from HOST and PORT in development, and takes the configured ones', () => {
    expect(loadConfig({}).pushpage.publicOrigins).toEqual([
      'http://localhost:8000',
      'http://127.0.0.1:8000',
    ]);
    expect(loadConfig({ HOST: 'pushpage.local', PORT: '8080' }).pushpage.publicOrigins).toEqual([
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://pushpage.local:8080',
    ]);
    expect(loadConfig({ HOST: '::1' }).pushpage.publicOrigins).toContain('http://[::1]:8000');
    expect(loadConfig({ HOST: '0.0.0.0' }).pushpage.publicOrigins).toHaveLength(2);
    // a port chosen at start: Pushpage's own fallback (the request's Host), with a warning
    expect(loadConfig({ PORT: '0' }).pushpage.publicOrigins).toBeUndefined();
    const config = loadConfig({
      PUSHPAGE_PUBLIC_ORIGINS: 'https://app.example.com,https://www.example.com',
      PUSHPAGE_METRICS_PORT: '9464',
      HOST: '0.0.0.0',
    });
    expect(config.pushpage).toMatchObject({
      publicOrigins: ['https://app.example.com', 'https://www.example.com'],
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      publicMetrics: false,
      settingNames: {
        publicOrigins: 'PUSHPAGE_PUBLIC_ORIGINS',
        metricsToken: 'PUSHPAGE_METRICS_TOKEN',
      },
    });
  });

  it('reads the session lifetime, in ms, leaving unset values to Pushpage (30 and 7 days)', () => {
    const config = loadConfig({
      PUSHPAGE_SESSION_MAX_AGE_MS: '86400000',
      PUSHPAGE_SESSION_IDLE_MS: '3600000',
    });
    expect(resolveOptions(config.pushpage)).toMatchObject({
      sessionMaxAgeMs: 86_400_000,
      sessionIdleMs: 3_600_000,
    });
    expect(resolveOptions(loadConfig({}).pushpage)).toMatchObject({
      sessionMaxAgeMs: 30 * 24 * 3600 * 1000,
      sessionIdleMs: 7 * 24 * 3600 * 1000,
    });
    expect(() => resolveOptions({ ...config.pushpage, sessionIdleMs: 10 })).toThrow(
      /^Pushpage options: PUSHPAGE_SESSION_IDLE_MS must be 1000 ms or more, not 10$/,
    );
  });

  it('reads the snapshot window (default 500); Pushpage refuses one below 1, naming the variable', () => {
    expect(resolveOptions(loadConfig({}).pushpage).snapshotWindow).toBe(500);
    const config = loadConfig({ PUSHPAGE_SNAPSHOT_WINDOW: '25' });
    expect(resolveOptions(config.pushpage).snapshotWindow).toBe(25);
    expect(refusal({ PUSHPAGE_SNAPSHOT_WINDOW: '0' })).toMatch(/^PUSHPAGE_SNAPSHOT_WINDOW="0"/);
    for (const snapshotWindow of [0, -1, 2.5, Number.NaN])
      expect(() => resolveOptions({ ...config.pushpage, snapshotWindow })).toThrow(
        /^Pushpage options: PUSHPAGE_SNAPSHOT_WINDOW must be a whole number, 1 or more/,
      );
    expect(() => resolveOptions({ snapshotWindow: 0 })).toThrow(
      /the snapshotWindow option of PushpageModule must be a whole number, 1 or more, not 0/,
    );
  });

  it("reads a collaborative document's byte budget, leaving it unset to Pushpage (1 MiB)", () => {
    const config = loadConfig({ PUSHPAGE_MAX_DOCUMENT_BYTES: '65536' });
    expect(resolveOptions(config.pushpage).maxDocumentBytes).toBe(65_536);
    expect(resolveOptions(loadConfig({}).pushpage).maxDocumentBytes).toBe(1024 * 1024);
    expect(refusal({ PUSHPAGE_MAX_DOCUMENT_BYTES: '0' })).toContain('PUSHPAGE_MAX_DOCUMENT_BYTES');
    for (const bad of [0, 1.5, Number.NaN])
      expect(() => resolveOptions({ ...config.pushpage, maxDocumentBytes: bad })).toThrow(
        /^Pushpage options: PUSHPAGE_MAX_DOCUMENT_BYTES must be a whole number of bytes, 1 or more/,
      );
  });

  it('names every bad variable at once', () => {
    const message = refusal({ PORT: 'x', PUSHPAGE_LOG_LEVEL: 'loud' });
    expect(message).toContain('PORT="x"');
    expect(message).toContain('PUSHPAGE_LOG_LEVEL="loud"');
  });

  it('reads REDIS_CLUSTER_NODES as seed nodes, with the sharded adapter and its setting names', () => {
    const config = loadConfig({
      REDIS_CLUSTER_NODES: 'redis-0.redis:6379,10.0.0.5:7000,[::1]:7001',
      REDIS_URL: '',
    });
    expect(config.pushpage).toMatchObject({
      redisUrl: undefined,
      redisClusterNodes: ['redis-0.redis:6379', '10.0.0.5:7000', '[::1]:7001'],
      adapter: 'sharded',
      settingNames: { redisClusterNodes: 'REDIS_CLUSTER_NODES', redisUrl: 'REDIS_URL' },
    });
    expect(resolveOptions(config.pushpage).redisClusterNodes).toEqual([
      { host: 'redis-0.redis', port: 6379 },
      { host: '10.0.0.5', port: 7000 },
      { host: '::1', port: 7001 },
    ]);
    expect(loadConfig({}).pushpage.redisClusterNodes).toBeUndefined();
  });

  it.each([
    'redis-0.redis',
    'redis-0.redis:0',
    'redis-0.redis:65536',
    'redis-0.redis:6379,',
    'redis-0.redis:6379, redis-1.redis:6379',
    'redis://redis-0.redis:6379',
    '::1:7000',
  ])('refuses REDIS_CLUSTER_NODES=%j, naming it', (value) => {
    const message = refusal({ REDIS_CLUSTER_NODES: value });
    expect(message.startsWith(`REDIS_CLUSTER_NODES=${JSON.stringify(value)}: `)).toBe(true);
    expect(message).toContain('REDIS_CLUSTER_NODES must be host:port seed nodes');
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together', () => {
    expect(
      refusal({ REDIS_URL: 'redis://redis:6379', REDIS_CLUSTER_NODES: 'redis-0.redis:6379' }),
    ).toMatch(/^REDIS_URL and REDIS_CLUSTER_NODES are both set/);
  });

  it('lets Pushpage refuse the classic adapter on a cluster, naming PUSHPAGE_REDIS_ADAPTER', () => {
    const config = loadConfig({
      REDIS_CLUSTER_NODES: 'redis-0.redis:6379',
      PUSHPAGE_REDIS_ADAPTER: 'classic',
    });
    expect(() => resolveOptions(config.pushpage)).toThrow(
      /PUSHPAGE_REDIS_ADAPTER is classic, which does not fit a Redis Cluster/,
    );
  });
});

describe('the ops app configuration', () => {
  it('reads REDIS_CLUSTER_NODES as seed nodes', () => {
    const config = OpsConfig.fromEnv({ REDIS_CLUSTER_NODES: 'redis-0:6379, redis-1:6379' });
    expect(config.redisClusterNodes).toEqual(['redis-0:6379', 'redis-1:6379']);
    expect(config.redisUrl).toBeUndefined();
    expect(OpsConfig.fromEnv({}).redisClusterNodes).toBeUndefined();
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together', () => {
    expect(() =>
      OpsConfig.fromEnv({ REDIS_URL: 'redis://redis:6379', REDIS_CLUSTER_NODES: 'redis-0:6379' }),
    ).toThrow(/^REDIS_URL and REDIS_CLUSTER_NODES are both set/);
  });
});
