import { PushpageModuleOptions } from '../../libs/pushpage/src';

/** The demo's settings, from environment variables (see the README). */
export interface DemoConfig {
  host: string;
  port: number;
  pushpage: PushpageModuleOptions;
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}="${raw}" is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Reads and checks the environment; a bad value stops start-up with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    throw new Error(`REDIS_URL="${redisUrl}" must start with redis:// or rediss://`);
  const sessionSecret = env.PUSHPAGE_SESSION_SECRET || undefined;
  if (sessionSecret !== undefined && sessionSecret.length < 16) {
    throw new Error('PUSHPAGE_SESSION_SECRET must be at least 16 characters');
  }
  const adapter = env.PUSHPAGE_REDIS_ADAPTER || 'classic';
  if (adapter !== 'classic' && adapter !== 'sharded') {
    throw new Error(`PUSHPAGE_REDIS_ADAPTER="${adapter}" must be classic or sharded`);
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8000, 0, 65535),
    pushpage: {
      redisUrl,
      adapter,
      sessionSecret,
      keyPrefix: env.PUSHPAGE_KEY_PREFIX || undefined,
      disconnectGraceMs: integer(env, 'PUSHPAGE_DISCONNECT_GRACE_MS', 30_000, 0, 24 * 3600 * 1000),
      restRateLimit: integer(env, 'PUSHPAGE_REST_RATE_LIMIT', 100, 1, 1_000_000),
    },
  };
}
