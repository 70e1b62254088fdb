import { isPlaceholderSecret } from 'pushpage';

/** A start-up error in the configuration: its message names the variable. */
export class ConfigError extends Error {}

/**
 * The ops app's settings, read from the environment. Also the injection token of those
 * settings: providers ask for `OpsConfig` and get the instance `AppModule.register` was given.
 */
export class OpsConfig {
  /** Address to listen on (`HOST`). */
  host = '127.0.0.1';
  /** Port to listen on (`PORT`). */
  port = 8001;
  /**
   * Redis URL (`REDIS_URL`); unset, and no `redisClusterNodes`: the in-memory store, one
   * process only.
   */
  redisUrl?: string;
  /**
   * Seed nodes of a Redis Cluster (`REDIS_CLUSTER_NODES`, `host:port,host:port`), instead of
   * `REDIS_URL`; Pushpage checks each when the app starts.
   */
  redisClusterNodes?: string[];
  /**
   * Signs session cookies (`PUSHPAGE_SESSION_SECRET`, `new,previous` while rotating); unset,
   * replicas on one Redis agree on one.
   */
  sessionSecret?: string[];
  /**
   * The origins browsers reach the dashboard at (`PUSHPAGE_PUBLIC_ORIGINS`,
   * `https://ops.example.com,...`); required in production. Unset outside production, a page
   * may connect from the origin its request's `Host` names, and Pushpage warns.
   */
  publicOrigins?: string[];
  /** The bearer token `/metrics` requires (`PUSHPAGE_METRICS_TOKEN`). */
  metricsToken?: string;
  /** `/metrics` to anyone on the app's port (`PUSHPAGE_METRICS_PUBLIC=true`; not in production). */
  publicMetrics = false;
  /** Milliseconds between two samples of the fleet (`OPS_SAMPLE_MS`). */
  sampleMs = 1000;
  /**
   * Multiplies every service's alert limits (`OPS_THRESHOLD_SCALE`): below 1 incidents open
   * sooner (0.05 makes every service critical at once), above 1 later.
   */
  thresholdScale = 1;

  /**
   * Reads and checks the environment; a bad value throws a {@link ConfigError} naming the
   * variable. Empty values count as unset.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): OpsConfig {
    const config = new OpsConfig();
    const read = (name: string): string | undefined => env[name] || undefined;
    const number = (name: string, fallback: number, min: number, max: number, int = true) => {
      const text = read(name);
      if (text === undefined) return fallback;
      const value = Number(text);
      if (
        !Number.isFinite(value) ||
        (int && !Number.isInteger(value)) ||
        value < min ||
        value > max
      )
        throw new ConfigError(
          `${name}=${JSON.stringify(text)}: must be ${int ? 'an integer' : 'a number'} from ${min} to ${max}`,
        );
      return value;
    };
    config.host = read('HOST') ?? config.host;
    config.port = number('PORT', config.port, 0, 65535);
    config.sampleMs = number('OPS_SAMPLE_MS', config.sampleMs, 50, 60_000);
    config.thresholdScale = number('OPS_THRESHOLD_SCALE', config.thresholdScale, 0.01, 100, false);
    config.redisUrl = read('REDIS_URL');
    if (config.redisUrl && !/^rediss?:\/\/\S+$/.test(config.redisUrl))
      throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
    config.redisClusterNodes = read('REDIS_CLUSTER_NODES')
      ?.split(',')
      .map((seed) => seed.trim());
    if (config.redisUrl && config.redisClusterNodes)
      throw new ConfigError(
        'REDIS_URL and REDIS_CLUSTER_NODES are both set: set REDIS_URL for one Redis, or ' +
          'REDIS_CLUSTER_NODES for a Redis Cluster, not both',
      );
    config.sessionSecret = read('PUSHPAGE_SESSION_SECRET')?.split(',');
    if (config.sessionSecret?.some((s) => s.length < 16 || isPlaceholderSecret(s)))
      throw new ConfigError(
        'PUSHPAGE_SESSION_SECRET must be a random string of at least 16 characters ' +
          '(`openssl rand -base64 32`), or a comma-separated list of them, the new one first',
      );
    config.publicOrigins = read('PUSHPAGE_PUBLIC_ORIGINS')
      ?.split(',')
      .map((origin) => origin.trim());
    config.metricsToken = read('PUSHPAGE_METRICS_TOKEN');
    config.publicMetrics = read('PUSHPAGE_METRICS_PUBLIC') === 'true';
    return config;
  }
}
