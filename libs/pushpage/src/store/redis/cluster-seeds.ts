import type { Cluster, Redis } from 'ioredis';

/** One seed node of a Redis Cluster, as ioredis' `Cluster` takes it. */
export interface ClusterSeed {
  host: string;
  port: number;
}

/**
 * Reads seed nodes written `host:port` (`[::1]:7000` for an IPv6 address). Throws an error
 * that names `setting` (how the app's users set the list) and the entry at fault when the
 * list is empty or an entry has no host or a port outside 1-65535.
 */
export function parseClusterSeeds(seeds: readonly string[], setting: string): ClusterSeed[] {
  if (seeds.length === 0) {
    throw new Error(
      `${setting} lists no seed node: give at least one host:port of the Redis Cluster`,
    );
  }
  return seeds.map((seed) => parseSeed(seed.trim(), setting));
}

/** `host:port`: a name or IPv4 address, or an IPv6 address in brackets; a port of 1-5 digits. */
const SEED = /^(?:([^\s,/:[\]]+)|\[([0-9A-Fa-f:.]+)\]):(\d{1,5})$/;

function parseSeed(seed: string, setting: string): ClusterSeed {
  const [, name, ipv6, portText] = SEED.exec(seed) ?? [];
  const port = Number(portText);
  if (!portText || port < 1 || port > 65535) {
    throw new Error(
      `${setting}: ${JSON.stringify(seed)} is not a seed node; write each as host:port with a ` +
        'port from 1 to 65535 (redis-0.redis:6379, 10.0.0.5:7000, [::1]:7000)',
    );
  }
  return { host: name ?? ipv6, port };
}

/** The seeds as `host:port,host:port`, for log lines. */
export function describeSeeds(seeds: readonly ClusterSeed[]): string {
  return seeds
    .map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`)
    .join(',');
}

/**
 * Whether a client is an ioredis `Cluster` (which marks its instances with `isCluster`), also
 * when it comes from another copy of ioredis than Pushpage's.
 */
export function isCluster(client: Redis | Cluster): client is Cluster {
  return (client as Partial<Cluster>).isCluster === true;
}
