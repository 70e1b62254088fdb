import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { isPlaceholderSecret, PushpageModuleOptions } from 'pushpage';
import { DEMO_CLIENT_SCRIPT } from './client/actions-client';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** A TCP port from 1 to 65535, without leading zeros. */
const PORT = '(?:[1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])';
/** `host:port`, the host a name, an IPv4 address or an IPv6 address in brackets. */
const SEED = `(?:[^\\s,:\\[\\]/]+|\\[[0-9A-Fa-f:.]+\\]):${PORT}`;
const SEED_LIST = new RegExp(`^${SEED}(?:,${SEED})*$`);
/** `scheme://host[:port]` origins separated by commas. */
const ORIGIN_LIST = /^(https?:\/\/[^\s,/]+)(,https?:\/\/[^\s,/]+)*$/;

/** The environment variables the demo reads (the README lists them), with their rules. */
export class DemoEnvironment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  /** Seed nodes of a Redis Cluster, `host:port,host:port`; instead of `REDIS_URL`. */
  @IsOptional()
  @Matches(SEED_LIST, {
    message:
      'REDIS_CLUSTER_NODES must be host:port seed nodes of a Redis Cluster separated by commas, ' +
      'each port from 1 to 65535 (redis-0.redis:6379,redis-1.redis:6379)',
  })
  REDIS_CLUSTER_NODES?: string;

  /** One secret, or `new,previous` during a rotation (see docs/operations.md). */
  @IsOptional()
  @Matches(/^[^,\s]{16,}(,[^,\s]{16,})*$/, {
    message:
      'PUSHPAGE_SESSION_SECRET must be a secret of at least 16 characters, or a comma-separated ' +
      'list of them (the new one first) during a rotation',
  })
  PUSHPAGE_SESSION_SECRET?: string;

  /** How long a session lasts from its start (default 30 days). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(365 * 24 * 3600 * 1000)
  PUSHPAGE_SESSION_MAX_AGE_MS?: number;

  /** How long a session lasts unused (default 7 days). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(365 * 24 * 3600 * 1000)
  PUSHPAGE_SESSION_IDLE_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(24 * 3600 * 1000)
  PUSHPAGE_DISCONNECT_GRACE_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PUSHPAGE_REST_RATE_LIMIT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PUSHPAGE_SOCKET_RATE_LIMIT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PUSHPAGE_MAX_PAGES_PER_SESSION?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PUSHPAGE_PAGE_RATE_LIMIT?: number;

  /**
   * Express's `trust proxy`: how many proxies (a number), which addresses (`loopback`,
   * `10.0.0.0/8`, comma-separated), `true` or `false` (default): behind an ingress, the
   * client's address then comes from `X-Forwarded-For`, for the per-address page limit.
   */
  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[\w.:/]+(,[\w.:/]+)*)$/, {
    message:
      'PUSHPAGE_TRUST_PROXY must be true, false, a number of proxies, or addresses/subnets separated by commas',
  })
  PUSHPAGE_TRUST_PROXY?: string;

  /** How many messages the demo's board keeps (the newest); default 200. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  DEMO_BOARD_MESSAGES?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PUSHPAGE_MAX_CHILDREN?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  PUSHPAGE_MAX_SCOPE_BYTES?: number;

  /** The most children of one component a whole page carries (default 500). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PUSHPAGE_SNAPSHOT_WINDOW?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  PUSHPAGE_MAX_DOCUMENT_BYTES?: number;

  /** The origins browsers reach the demo at; required in production (see docs/security.md). */
  @IsOptional()
  @Matches(ORIGIN_LIST, {
    message:
      'PUSHPAGE_PUBLIC_ORIGINS must be origins separated by commas (https://app.example.com,http://localhost:8000)',
  })
  PUSHPAGE_PUBLIC_ORIGINS?: string;

  @IsOptional()
  @Matches(ORIGIN_LIST, {
    message:
      'PUSHPAGE_ALLOWED_ORIGINS must be origins separated by commas (https://app.example.com,https://admin.example.com)',
  })
  PUSHPAGE_ALLOWED_ORIGINS?: string;

  /** A port of its own for /metrics (then not served on PORT). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PUSHPAGE_METRICS_PORT?: number;

  /** The bearer token /metrics requires. */
  @IsOptional()
  @Matches(/^\S{16,}$/, {
    message: 'PUSHPAGE_METRICS_TOKEN must be a token of at least 16 characters, without spaces',
  })
  PUSHPAGE_METRICS_TOKEN?: string;

  /** `true`: /metrics public on PORT, as before (refused in production). */
  @IsOptional()
  @IsIn(['true', 'false'])
  PUSHPAGE_METRICS_PUBLIC?: 'true' | 'false';

  /** A directory for uploaded files (shared by the replicas); unset: each process's memory. */
  @IsOptional()
  @IsString()
  PUSHPAGE_UPLOAD_DIR?: string;

  @IsOptional()
  @IsIn(['classic', 'sharded'])
  PUSHPAGE_REDIS_ADAPTER?: 'classic' | 'sharded';

  @IsOptional()
  @Matches(/^[\w:.-]{0,64}$/, {
    message: 'PUSHPAGE_KEY_PREFIX must be up to 64 letters, digits, _, :, . or -',
  })
  PUSHPAGE_KEY_PREFIX?: string;

  @IsOptional()
  @IsIn(['json', 'pretty'])
  PUSHPAGE_LOG_FORMAT?: 'json' | 'pretty';

  @IsOptional()
  @IsIn(LOG_LEVELS)
  PUSHPAGE_LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120_000)
  PUSHPAGE_SHUTDOWN_DELAY_MS?: number;
}

/** The demo's settings. */
export interface DemoConfig {
  host: string;
  port: number;
  production: boolean;
  /** How many messages the message board keeps (see `DEMO_BOARD_MESSAGES`). */
  boardMessages: number;
  log: { format: 'json' | 'pretty'; level: (typeof LOG_LEVELS)[number] };
  pushpage: PushpageModuleOptions;
}

/** A start-up error in the configuration: its message names the variable. */
export class ConfigError extends Error {}

/**
 * Reads and checks the environment; a bad value throws a {@link ConfigError} naming the
 * variable. Empty values count as unset.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const known = Object.keys(new DemoEnvironmentKeys());
  const given: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined && value !== '') given[name] = value;
  }
  const parsed = plainToInstance(DemoEnvironment, given);
  const errors = validateSync(parsed, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors
        .map((e) => {
          const rules = Object.values(e.constraints ?? {}).join('; ');
          return `${e.property}=${JSON.stringify(given[e.property])}: ${rules}`;
        })
        .join('\n'),
    );
  }
  const production = parsed.NODE_ENV === 'production';
  if (production && !parsed.PUSHPAGE_SESSION_SECRET) {
    throw new ConfigError(
      'PUSHPAGE_SESSION_SECRET is required in production: every replica must sign sessions alike',
    );
  }
  if (production && !parsed.PUSHPAGE_PUBLIC_ORIGINS) {
    throw new ConfigError(
      'PUSHPAGE_PUBLIC_ORIGINS is required in production: the origins browsers reach the demo at ' +
        '(https://app.example.com), so that no other site can use its visitors’ sessions',
    );
  }
  const metricsPublic = parsed.PUSHPAGE_METRICS_PUBLIC === 'true';
  if (production && metricsPublic) {
    throw new ConfigError(
      'PUSHPAGE_METRICS_PUBLIC=true is refused in production: set PUSHPAGE_METRICS_PORT (a port ' +
        'of its own) or PUSHPAGE_METRICS_TOKEN (a bearer token)',
    );
  }
  const host = parsed.HOST ?? '127.0.0.1';
  const port = parsed.PORT ?? 8000;
  if (parsed.PUSHPAGE_METRICS_PORT !== undefined && parsed.PUSHPAGE_METRICS_PORT === port) {
    throw new ConfigError('PUSHPAGE_METRICS_PORT must differ from PORT');
  }
  if (parsed.REDIS_URL && parsed.REDIS_CLUSTER_NODES) {
    throw new ConfigError(
      'REDIS_URL and REDIS_CLUSTER_NODES are both set: set REDIS_URL for one Redis, or ' +
        'REDIS_CLUSTER_NODES for a Redis Cluster, not both',
    );
  }
  const clusterNodes = parsed.REDIS_CLUSTER_NODES?.split(',');
  const sessionSecrets = parsed.PUSHPAGE_SESSION_SECRET?.split(',') ?? [];
  if (sessionSecrets.some(isPlaceholderSecret)) {
    throw new ConfigError(
      'PUSHPAGE_SESSION_SECRET is a placeholder: generate a random one (`openssl rand -base64 32`)',
    );
  }
  return {
    host,
    port,
    production,
    boardMessages: parsed.DEMO_BOARD_MESSAGES ?? 200,
    log: {
      format: parsed.PUSHPAGE_LOG_FORMAT ?? 'json',
      level: parsed.PUSHPAGE_LOG_LEVEL ?? 'info',
    },
    pushpage: {
      redisUrl: parsed.REDIS_URL,
      redisClusterNodes: clusterNodes,
      // on a Redis Cluster the adapter is sharded; Pushpage refuses classic there
      adapter: parsed.PUSHPAGE_REDIS_ADAPTER ?? (clusterNodes ? 'sharded' : 'classic'),
      sessionSecret: sessionSecrets,
      sessionMaxAgeMs: parsed.PUSHPAGE_SESSION_MAX_AGE_MS,
      sessionIdleMs: parsed.PUSHPAGE_SESSION_IDLE_MS,
      clientScripts: [DEMO_CLIENT_SCRIPT],
      settingNames: {
        sessionSecret: 'PUSHPAGE_SESSION_SECRET',
        sessionMaxAgeMs: 'PUSHPAGE_SESSION_MAX_AGE_MS',
        sessionIdleMs: 'PUSHPAGE_SESSION_IDLE_MS',
        redisUrl: 'REDIS_URL',
        redisClusterNodes: 'REDIS_CLUSTER_NODES',
        adapter: 'PUSHPAGE_REDIS_ADAPTER',
        publicOrigins: 'PUSHPAGE_PUBLIC_ORIGINS',
        allowedOrigins: 'PUSHPAGE_ALLOWED_ORIGINS',
        metricsPort: 'PUSHPAGE_METRICS_PORT',
        metricsToken: 'PUSHPAGE_METRICS_TOKEN',
        publicMetrics: 'PUSHPAGE_METRICS_PUBLIC',
        snapshotWindow: 'PUSHPAGE_SNAPSHOT_WINDOW',
        maxDocumentBytes: 'PUSHPAGE_MAX_DOCUMENT_BYTES',
        uploadDirectory: 'PUSHPAGE_UPLOAD_DIR',
      },
      keyPrefix: parsed.PUSHPAGE_KEY_PREFIX,
      disconnectGraceMs: parsed.PUSHPAGE_DISCONNECT_GRACE_MS ?? 30_000,
      restRateLimit: parsed.PUSHPAGE_REST_RATE_LIMIT ?? 100,
      socketRateLimit: parsed.PUSHPAGE_SOCKET_RATE_LIMIT ?? 20,
      maxPagesPerSession: parsed.PUSHPAGE_MAX_PAGES_PER_SESSION ?? 100,
      pageRateLimit: parsed.PUSHPAGE_PAGE_RATE_LIMIT ?? 2,
      maxChildren: parsed.PUSHPAGE_MAX_CHILDREN,
      maxScopeBytes: parsed.PUSHPAGE_MAX_SCOPE_BYTES,
      snapshotWindow: parsed.PUSHPAGE_SNAPSHOT_WINDOW,
      maxDocumentBytes: parsed.PUSHPAGE_MAX_DOCUMENT_BYTES,
      publicOrigins: parsed.PUSHPAGE_PUBLIC_ORIGINS?.split(',') ?? ownOrigins(host, port),
      allowedOrigins: parsed.PUSHPAGE_ALLOWED_ORIGINS?.split(',') ?? [],
      metricsPort: parsed.PUSHPAGE_METRICS_PORT,
      metricsHost: host,
      metricsToken: parsed.PUSHPAGE_METRICS_TOKEN,
      publicMetrics: metricsPublic,
      shutdownDelayMs: parsed.PUSHPAGE_SHUTDOWN_DELAY_MS ?? (production ? 5000 : 0),
      uploadDirectory: parsed.PUSHPAGE_UPLOAD_DIR,
      trustProxy: trustProxyOf(parsed.PUSHPAGE_TRUST_PROXY),
    },
  };
}

/**
 * The origins a browser on this machine reaches the demo at, for development:
 * `http://localhost:PORT`, `http://127.0.0.1:PORT` and `http://HOST:PORT`. None on a port
 * chosen at start (`PORT=0`); then Pushpage compares with the request's `Host` (and warns).
 */
function ownOrigins(host: string, port: number): string[] | undefined {
  if (port === 0) return undefined;
  const hosts = new Set(['localhost', '127.0.0.1']);
  // every interface: a browser comes through some address of it, which only you can name
  if (host !== '0.0.0.0' && host !== '::') hosts.add(host.includes(':') ? `[${host}]` : host);
  return [...hosts].map((h) => `http://${h}:${port}`);
}

/** Every variable name of {@link DemoEnvironment}, as an object with those keys. */
class DemoEnvironmentKeys implements Required<Record<keyof DemoEnvironment, true>> {
  NODE_ENV = true as const;
  HOST = true as const;
  PORT = true as const;
  REDIS_URL = true as const;
  REDIS_CLUSTER_NODES = true as const;
  PUSHPAGE_SESSION_SECRET = true as const;
  PUSHPAGE_SESSION_MAX_AGE_MS = true as const;
  PUSHPAGE_SESSION_IDLE_MS = true as const;
  PUSHPAGE_DISCONNECT_GRACE_MS = true as const;
  PUSHPAGE_REST_RATE_LIMIT = true as const;
  PUSHPAGE_SOCKET_RATE_LIMIT = true as const;
  PUSHPAGE_MAX_PAGES_PER_SESSION = true as const;
  PUSHPAGE_PAGE_RATE_LIMIT = true as const;
  PUSHPAGE_TRUST_PROXY = true as const;
  DEMO_BOARD_MESSAGES = true as const;
  PUSHPAGE_MAX_CHILDREN = true as const;
  PUSHPAGE_MAX_SCOPE_BYTES = true as const;
  PUSHPAGE_SNAPSHOT_WINDOW = true as const;
  PUSHPAGE_MAX_DOCUMENT_BYTES = true as const;
  PUSHPAGE_PUBLIC_ORIGINS = true as const;
  PUSHPAGE_ALLOWED_ORIGINS = true as const;
  PUSHPAGE_METRICS_PORT = true as const;
  PUSHPAGE_METRICS_TOKEN = true as const;
  PUSHPAGE_METRICS_PUBLIC = true as const;
  PUSHPAGE_UPLOAD_DIR = true as const;
  PUSHPAGE_REDIS_ADAPTER = true as const;
  PUSHPAGE_KEY_PREFIX = true as const;
  PUSHPAGE_LOG_FORMAT = true as const;
  PUSHPAGE_LOG_LEVEL = true as const;
  PUSHPAGE_SHUTDOWN_DELAY_MS = true as const;
}

/** `PUSHPAGE_TRUST_PROXY` as Express takes it: a boolean, a hop count, or addresses. */
function trustProxyOf(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
