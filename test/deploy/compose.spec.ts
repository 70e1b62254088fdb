/**
 * compose.yaml (a local cluster: Redis, three replicas, HAProxy) and deploy/haproxy.cfg, read
 * statically: Docker is not needed. `haproxy -c` checks the proxy's configuration.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isObject, Json, JsonObject, ROOT } from '../support/kustomize-build';

const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), {
  merge: true,
  prettyErrors: true,
}) as JsonObject;
const services = isObject(compose.services) ? compose.services : {};
const service = (name: string): JsonObject => {
  const s = services[name];
  if (!isObject(s)) throw new Error(`compose.yaml: no service ${name}`);
  return s;
};
const replicas = Object.keys(services).filter((n) => {
  const s = services[n];
  return isObject(s) && 'build' in s;
});
const HAPROXY_CFG = join(ROOT, 'deploy', 'haproxy.cfg');
const haproxyCfg = readFileSync(HAPROXY_CFG, 'utf8');

function environment(s: JsonObject): Record<string, string> {
  const env = s.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => String(e).split(/=(.*)/s, 2) as [string, string]));
  }
  return isObject(env)
    ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]))
    : {};
}

const dependsOn = (s: JsonObject): JsonObject => (isObject(s.depends_on) ? s.depends_on : {});
const healthcheck = (s: JsonObject): string => {
  const test: Json | undefined = isObject(s.healthcheck) ? s.healthcheck.test : undefined;
  return Array.isArray(test) ? test.join(' ') : String(test ?? '');
};

describe('compose.yaml (Redis, three replicas, a proxy)', () => {
  it('runs three replicas built from the Dockerfile', () => {
    expect(replicas.length).toBe(3);
    for (const name of replicas) {
      const build = service(name).build;
      const context = typeof build === 'string' ? build : isObject(build) ? build.context : '';
      expect(existsSync(join(ROOT, String(context), 'Dockerfile'))).toBe(true);
    }
  });

  it('gives Redis a health check, persistence and no eviction', () => {
    const redis = service('redis');
    expect(String(redis.image)).toMatch(/^redis:7\.\d+/);
    expect(healthcheck(redis)).toMatch(/redis-cli ping/);
    const command = Array.isArray(redis.command) ? redis.command.join(' ') : '';
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('points every replica at the same Redis and secret, ready once Redis is healthy', () => {
    const secrets = new Set<string>();
    for (const name of replicas) {
      const s = service(name);
      const env = environment(s);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      secrets.add(env.PUSHPAGE_SESSION_SECRET);
      expect(dependsOn(s).redis).toEqual({ condition: 'service_healthy' });
      expect(healthcheck(s)).toMatch(/\/readyz/);
      expect(s.read_only).toBe(true);
    }
    expect(secrets.size).toBe(1);
    expect([...secrets][0].length).toBeGreaterThanOrEqual(16);
  });

  it('sets only variables the server reads, in a configuration its loadConfig accepts', async () => {
    const config = readFileSync(join(ROOT, 'apps/demo/config.ts'), 'utf8');
    await import('reflect-metadata');
    const { loadConfig } = await import('../../apps/demo/config');
    for (const name of replicas) {
      const env = environment(service(name));
      expect(Object.keys(env).filter((k) => !new RegExp(`\\b${k}\\b`).test(config))).toEqual([]);
      // The image's environment, then the service's.
      const loaded = loadConfig({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '8000', ...env });
      expect(loaded.production).toBe(true);
      expect(loaded.pushpage.redisUrl).toBe('redis://redis:6379');
    }
  });

  it('publishes the proxy on the public origin, started once every replica is ready', () => {
    const proxy = service('proxy');
    const ports = Array.isArray(proxy.ports) ? proxy.ports.map(String) : [];
    expect(ports).toEqual(['8080:8080']);
    for (const name of replicas) {
      expect(environment(service(name)).PUSHPAGE_PUBLIC_ORIGINS.split(',')).toContain(
        'http://localhost:8080',
      );
      expect(dependsOn(proxy)[name]).toEqual({ condition: 'service_healthy' });
    }
    const volumes = Array.isArray(proxy.volumes) ? proxy.volumes.map(String) : [];
    expect(volumes).toContain('./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
  });
});

describe('deploy/haproxy.cfg', () => {
  it('balances over every replica, checking /readyz, without stickiness', () => {
    const servers = [...haproxyCfg.matchAll(/^\s*server (\S+) (\S+)/gm)].map((m) => [m[1], m[2]]);
    expect(servers).toEqual(replicas.map((r) => [r, `${r}:8000`]));
    expect(haproxyCfg).toMatch(/^\s*option httpchk GET \/readyz$/m);
    expect(haproxyCfg).toMatch(/^\s*default-server check\b/m);
    expect(haproxyCfg).not.toMatch(/^\s*(cookie|stick|balance source)\b/m);
    // Stickiness is unneeded only while the browser runtime never falls back to polling.
    const client = readFileSync(join(ROOT, 'client/src/socket-options.ts'), 'utf8');
    expect(client).toMatch(/transports: \['websocket'\]/);
  });

  it('keeps websockets for an hour and refuses the paths for the cluster only', () => {
    expect(haproxyCfg).toMatch(/^\s*timeout tunnel 1h$/m);
    const deny = haproxyCfg.split('\n').find((l) => /^\s*http-request deny\b/.test(l)) ?? '';
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/docs', '/api/docs-json'])
      expect(deny.split(/[\s{}]+/)).toContain(path);
    expect(deny).toMatch(/path_beg \/api\/docs\//);
  });

  it('is a configuration haproxy accepts', () => {
    let output: string;
    try {
      output = execFileSync('haproxy', ['-c', '-f', HAPROXY_CFG], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') throw new Error('haproxy not found: apt-get install haproxy');
      throw new Error(`haproxy -c: ${e.stderr ?? e.message}`);
    }
    expect(output).toMatch(/Configuration file is valid/);
  });
});
