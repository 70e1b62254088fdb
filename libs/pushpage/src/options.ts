import type { Cluster, Redis } from 'ioredis';
import { isPlaceholderSecret } from './sessions/session';
import { normalizeOrigins } from './edges/origin';
import { checkContentSecurityPolicy } from './edges/http/security-headers';
import { ClusterSeed, isCluster, parseClusterSeeds } from './store/redis/cluster-seeds';
import { DEFAULT_MAX_CHILDREN, DEFAULT_MAX_SCOPE_BYTES } from './limits';
import type { UploadStorage } from './uploads/upload-storage';

/**
 * Options of `PushpageModule.forRoot()` / `forRootAsync()`. Every one has a default, so
 * `forRoot()` alone runs a single process on the embedded in-memory store.
 */
export interface PushpageModuleOptions {
  /**
   * Redis URL (`redis://host:6379/0`, `rediss://` for TLS). Unset, and neither
   * `redisClusterNodes` nor a `redis` client: the embedded in-memory store, one process only.
   * Give at most one of `redisUrl`, `redisClusterNodes` and `redis`.
   */
  redisUrl?: string;
  /**
   * Seed nodes of a Redis Cluster, each `host:port` (`['redis-0.redis:6379',
   * 'redis-1.redis:6379']`; `[::1]:7000` for an IPv6 address), instead of `redisUrl`. A few
   * nodes are enough: the client learns the others from them. Pushpage connects with
   * {@link pushpageClusterOptions} and puts the Socket.IO adapter on sharded pub/sub. For a
   * cluster that needs a password or TLS, make the `Cluster` yourself and pass it as `redis`.
   */
  redisClusterNodes?: string[];
  /**
   * An ioredis client you already made (TLS, Sentinel, ACL users, ...): a `Redis`, or a
   * `Cluster` for a Redis Cluster; instead of `redisUrl` and `redisClusterNodes`. Pushpage runs
   * its store commands on it as it is configured and never closes it; the Socket.IO adapter
   * uses two duplicates of it, which Pushpage closes. Create it with
   * {@link pushpageRedisOptions} (a `Redis`) or {@link pushpageClusterOptions} (a `Cluster`)
   * for the reconnect, retry and timeout behaviour Pushpage's own connections have. It must
   * not set ioredis' `keyPrefix` (use `keyPrefix` here).
   */
  redis?: Redis | Cluster;
  /**
   * How Socket.IO replicas talk through Redis: `classic` pub/sub, or `sharded` (Redis 7
   * sharded pub/sub, `SPUBLISH`/`SSUBSCRIBE`, which spreads over a Redis Cluster). Default
   * `classic` on a single Redis; on a Redis Cluster always `sharded`, and `classic` is refused.
   */
  adapter?: 'classic' | 'sharded';
  /** Prefix of every Redis key. Default `pp:`. */
  keyPrefix?: string;
  /**
   * Secret that signs session cookies (16+ random characters), or a list of them to rotate:
   * the first signs new cookies, every one is accepted, so during a rollout put the new
   * secret first and keep the previous one after it until the old cookies no longer matter.
   * Unset outside production: replicas sharing a Redis agree on a random secret kept in it
   * (created by whichever starts first); a process on the in-memory store makes its own.
   * `NODE_ENV=production` refuses to start without one.
   */
  sessionSecret?: string | readonly string[];
  /**
   * How long a session lasts from its start (the page load or `POST` to the REST API that
   * set its cookie), in ms, however much it is used. Default 30 days. After it, its tabs'
   * messages and its REST requests are refused (`forbidden`, reason `session-unknown`) and a
   * page load starts a new session. The start is in the signed cookie, so checking it reads
   * nothing.
   */
  sessionMaxAgeMs?: number;
  /**
   * How long a session lasts without a page load, REST request or socket message, in ms.
   * Default 7 days. Refused then as after `sessionMaxAgeMs`. Replicas record uses in the
   * store at most once per session every tenth of this (5 minutes at most), which is the
   * precision of the limit.
   */
  sessionIdleMs?: number;
  /** How long a page outlives its last tab, so a reload or reconnect finds it. Default 30000 ms. */
  disconnectGraceMs?: number;
  /** Largest accepted socket message or event body, in bytes. Default 1 MiB. */
  maxMessageBytes?: number;
  /**
   * REST requests a session (or, without a session cookie, an address: see `trustProxy`) may
   * make per second before it gets `429 rate-limited` with `Retry-After`. On Redis the count
   * holds for every replica together. Default 100.
   */
  restRateLimit?: number;
  /** Whether pages use websockets unless a page says otherwise. Default `true`. */
  websockets?: boolean;
  /**
   * Whether the session cookie is marked `Secure` (sent back over HTTPS only). `'auto'`, the
   * default: when the request that gets the cookie came over HTTPS, as Express sees it
   * (`req.secure`), which behind a TLS-terminating proxy needs the app's `trust proxy` (then
   * the proxy's `X-Forwarded-Proto: https` counts). `true`: always (the app is only reached
   * over HTTPS); `false`: never.
   */
  secureCookies?: boolean | 'auto';
  /**
   * Express's `trust proxy`, set on the app when Pushpage starts: which proxies in front of the
   * app (an ingress, a load balancer) may say who the client is (`X-Forwarded-For`) and how it
   * connected (`X-Forwarded-Proto`). `true`: any; a number: that many hops in front; addresses
   * or subnets (`'loopback'`, `'10.0.0.0/8'`, a list, comma-separated or an array). It decides
   * the address that `pageRateLimit` and `restRateLimit` count (without it every client behind
   * the proxy shares the proxy's budget) and whether `secureCookies: 'auto'` sees HTTPS. An
   * address Express cannot read stops the start. Unset: the app's own setting stays
   * (Express's default trusts no proxy).
   */
  trustProxy?: boolean | number | string | readonly string[];
  /**
   * On shutdown, how long the replica keeps serving after its readiness turned false, so
   * that load balancers stop sending it work first (Kubernetes: a few seconds). Default 0.
   */
  shutdownDelayMs?: number;
  /**
   * The Content-Security-Policy of every page; `false` sends none. Default
   * {@link DEFAULT_CONTENT_SECURITY_POLICY}: scripts only from this server, no `eval`.
   */
  contentSecurityPolicy?: string | false;
  /**
   * Scripts of the app every page loads after Pushpage's runtime, as modules: paths on this
   * server (`/app/client.js`), which the default Content-Security-Policy allows. Such a
   * script registers the functions handlers call with `msg.client.call(name, ...args)`:
   * `window.pushpage.register('name', fn)`. Default none.
   */
  clientScripts?: string[];
  /**
   * The origins the app is served at, as browsers reach it: scheme, host and port
   * (`https://app.example.com`, `http://localhost:8000`). A browser page may open a websocket
   * or send state-changing REST calls only if its `Origin` equals one of these or of
   * `allowedOrigins` exactly; the request's `Host` header plays no part, so a site on another
   * name that resolves to this server (DNS rebinding) is refused. Requests without an `Origin`
   * header (curl, servers) are allowed. `NODE_ENV=production` refuses to start without them.
   * Unset outside production: a page whose origin is the request's own scheme and `Host` may
   * (open to DNS rebinding), and a warning says so at start-up.
   */
  publicOrigins?: string[];
  /**
   * Further origins (`https://partner.example.com`) whose pages may also open a websocket or
   * send state-changing REST calls, besides `publicOrigins`; compared exactly the same way.
   */
  allowedOrigins?: string[];
  /**
   * A bearer token `/metrics` requires (`Authorization: Bearer <token>`, compared in constant
   * time; 16 characters or more), on the app's port, or on `metricsPort` if that is set.
   * `/metrics` is served by {@link PushpageOperationsModule}: with none of `metricsToken`,
   * `metricsPort` and `publicMetrics` it answers 404.
   */
  metricsToken?: string;
  /**
   * A port of its own for `/metrics` (Prometheus scrapes it; keep it out of your Service and
   * Ingress); the app's port then answers 404 there. Listens on `metricsHost`.
   */
  metricsPort?: number;
  /** The address `metricsPort` listens on. Default: every interface. */
  metricsHost?: string;
  /**
   * Serve `/metrics` to anyone on the app's port, as Pushpage did before `metricsToken` and
   * `metricsPort`. `NODE_ENV=production` refuses to start with it. Default `false`.
   */
  publicMetrics?: boolean;
  /**
   * Socket messages (events, document edits, joins) one tab may send per second before it
   * gets `rate-limited`: twice that in each 2-second window, on the replica that holds the
   * tab; a session's tabs on one replica together three times that. Default 20.
   */
  socketRateLimit?: number;
  /** Pages one session may keep open at once. Default 100. */
  maxPagesPerSession?: number;
  /**
   * New pages one client address may open a second (page loads and `POST`s to the REST
   * API): 30 seconds' worth in each 30-second window, every replica together on Redis; over
   * it, `429 rate-limited` with `Retry-After`. Counts clients that send no session cookie back
   * too. The address is Express's `req.ip`: behind a proxy or an ingress, set `trustProxy` so
   * that it is the client's. Default 2.
   */
  pageRateLimit?: number;
  /** The most children one component may hold (a board's messages, say). Default 10,000. */
  maxChildren?: number;
  /**
   * The most bytes one page's own components, or one shared element's, may hold in the store
   * (names and values of their fields, as `componentBytes` counts them). A change that would
   * take a page or shared element past it is refused (`too-large`, HTTP 413) and changes
   * nothing; a change that makes it smaller always applies. Default 4 MiB.
   */
  maxScopeBytes?: number;
  /**
   * The most children of one component a whole page carries (the page load, a socket's join
   * or resync, a REST read): a longer child list is sent as its first `snapshotWindow`
   * children, without the others or anything inside them, and says how many it left out; the
   * tab shows a "Show more" button that asks for the next ones (the socket's `more`, REST
   * `GET /api/pages/:pageId/components/:componentId/children`), as many at a time. A tab
   * joins a 10,000-message board without downloading it whole. The server still reads the
   * whole element from the store. At least 1. Default 500.
   */
  snapshotWindow?: number;
  /**
   * The most bytes one collaborative document (a collaborative `QEditor`) may hold in the
   * store: the Yjs updates of its log, as stored. An edit that would take it past this is
   * refused with `too-large` and changes nothing, in the tab that sent it and in a handler's
   * `PushpageDocuments.replace`; merging the log (Pushpage does once it holds 200 updates)
   * makes it smaller. A whole number of bytes; default 1 MiB.
   */
  maxDocumentBytes?: number;
  /**
   * Whether Pushpage serves its browser runtime and the packages pages load (Tailwind, Font
   * Awesome, animate.css, Quasar) under `/pushpage/`. Default `true`. Turn it off to serve
   * those files yourself (a CDN, a reverse proxy) from the folders {@link pushpageAssetFolders}
   * lists, under the same URLs.
   */
  serveAssets?: boolean;
  /**
   * A directory where uploads (`Upload`) keep their files (made if missing), instead of this
   * process's memory: several replicas may share it (a shared volume). Give at most one of
   * `uploadDirectory` and `uploadStorage`. Unset, and no `uploadStorage`: memory (one process).
   */
  uploadDirectory?: string;
  /**
   * The app's own {@link UploadStorage} (an S3 bucket, say), instead of memory or
   * `uploadDirectory`.
   */
  uploadStorage?: UploadStorage;
  /**
   * How users of your app set Pushpage's options, for its start-up messages: say
   * `{ sessionSecret: 'MY_APP_SECRET', redisUrl: 'MY_APP_REDIS_URL', redisClusterNodes:
   * 'MY_APP_REDIS_CLUSTER_NODES' }` and a message about a missing secret names
   * `MY_APP_SECRET`. Unset: messages name the module options.
   */
  settingNames?: Partial<Record<keyof PushpageModuleOptions, string>>;
}

/**
 * Scripts, styles, fonts and connections only from this server; inline styles are allowed
 * (Tailwind's browser build and Vue bindings write them), inline and `eval`ed scripts are not.
 */
export const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** How many children of one component a whole page carries, by default. */
export const DEFAULT_SNAPSHOT_WINDOW = 500;

/** The most bytes a collaborative document may hold, by default: 1 MiB. */
const DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024;
/** How long a session lasts at most, by default: 30 days. */
export const DEFAULT_SESSION_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** How long a session lasts unused, by default: 7 days. */
const DEFAULT_SESSION_IDLE_MS = 7 * 24 * 3600 * 1000;

/** Options with every default filled in. */
export type ResolvedPushpageOptions = Required<
  Omit<
    PushpageModuleOptions,
    | 'redisUrl'
    | 'redisClusterNodes'
    | 'redis'
    | 'sessionSecret'
    | 'metricsToken'
    | 'metricsPort'
    | 'metricsHost'
    | 'uploadDirectory'
    | 'uploadStorage'
    | 'trustProxy'
  >
> &
  Pick<
    PushpageModuleOptions,
    | 'redisUrl'
    | 'redis'
    | 'metricsToken'
    | 'metricsPort'
    | 'metricsHost'
    | 'uploadDirectory'
    | 'uploadStorage'
    | 'trustProxy'
  > & {
    /** The seed nodes of `redisClusterNodes`, checked; unset without it. */
    redisClusterNodes?: readonly ClusterSeed[];
    /** The configured session secrets, the signing one first; empty when none is set. */
    sessionSecrets: readonly string[];
  };

/** Fills in the defaults of unset options; throws on options that contradict each other. */
export function resolveOptions(options: PushpageModuleOptions): ResolvedPushpageOptions {
  const settingNames = options.settingNames ?? {};
  const name = (option: keyof PushpageModuleOptions): string => nameOfSetting(settingNames, option);
  const redisOptions = (['redisUrl', 'redisClusterNodes', 'redis'] as const).filter(
    (option) => options[option] !== undefined && options[option] !== '',
  );
  if (redisOptions.length > 1) {
    throw new Error(
      `Pushpage options: ${redisOptions.map(name).join(' and ')} are set together; give only one ` +
        `of ${name('redisUrl')}, ${name('redisClusterNodes')} and ${name('redis')} (a client)`,
    );
  }
  if (options.redis?.options.keyPrefix) {
    throw new Error(
      "Pushpage options: the `redis` client sets ioredis' keyPrefix, which Pushpage's scripts " +
        "cannot see; make the client without it and set Pushpage's `keyPrefix` instead",
    );
  }
  const redisClusterNodes = options.redisClusterNodes
    ? parseClusterSeeds(options.redisClusterNodes, name('redisClusterNodes'))
    : undefined;
  const cluster =
    redisClusterNodes !== undefined || (options.redis !== undefined && isCluster(options.redis));
  if (cluster && options.adapter === 'classic') {
    throw new Error(
      `Pushpage options: ${name('adapter')} is classic, which does not fit a Redis Cluster ` +
        '(classic pub/sub copies every message to every node); leave it unset or make it sharded',
    );
  }
  const metricsToken = options.metricsToken || undefined;
  if (
    metricsToken !== undefined &&
    (metricsToken.length < 16 || isPlaceholderSecret(metricsToken))
  ) {
    throw new Error(
      `Pushpage options: ${name('metricsToken')} must be a random string of at least 16 characters`,
    );
  }
  const { metricsPort } = options;
  if (
    metricsPort !== undefined &&
    !(Number.isInteger(metricsPort) && metricsPort > 0 && metricsPort < 65536)
  ) {
    throw new Error(`Pushpage options: ${name('metricsPort')} must be a port from 1 to 65535`);
  }
  if (options.publicMetrics && (metricsToken !== undefined || metricsPort !== undefined)) {
    throw new Error(
      `Pushpage options: ${name('publicMetrics')} serves /metrics to anyone, which contradicts ` +
        `${name('metricsToken')} and ${name('metricsPort')}; give one way`,
    );
  }
  const maxDocumentBytes = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  if (!Number.isInteger(maxDocumentBytes) || maxDocumentBytes < 1)
    throw new Error(
      `Pushpage options: ${name('maxDocumentBytes')} must be a whole number of bytes, 1 or more, ` +
        `not ${maxDocumentBytes}`,
    );
  const sessionMaxAgeMs = options.sessionMaxAgeMs ?? DEFAULT_SESSION_MAX_AGE_MS;
  const sessionIdleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  for (const [option, value] of [
    ['sessionMaxAgeMs', sessionMaxAgeMs],
    ['sessionIdleMs', sessionIdleMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 1000)
      throw new Error(`Pushpage options: ${name(option)} must be 1000 ms or more, not ${value}`);
  }
  const { maxScopeBytes = DEFAULT_MAX_SCOPE_BYTES } = options;
  if (!Number.isSafeInteger(maxScopeBytes) || maxScopeBytes < 1024)
    throw new Error(
      `Pushpage options: ${name('maxScopeBytes')} must be a whole number of bytes, 1024 or more, not ${maxScopeBytes}`,
    );
  const clientScripts = options.clientScripts ?? [];
  for (const script of clientScripts) {
    if (typeof script !== 'string' || !/^\/(?!\/)[A-Za-z0-9._~!$&()*+,;=:@%/?-]*$/.test(script))
      throw new Error(
        `Pushpage options: ${name('clientScripts')} must be paths on this server (/app/client.js), ` +
          `not ${JSON.stringify(script)}`,
      );
  }
  const contentSecurityPolicy = options.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY;
  checkContentSecurityPolicy(contentSecurityPolicy, name('contentSecurityPolicy'));
  const snapshotWindow = options.snapshotWindow ?? DEFAULT_SNAPSHOT_WINDOW;
  if (!Number.isSafeInteger(snapshotWindow) || snapshotWindow < 1)
    throw new Error(
      `Pushpage options: ${name('snapshotWindow')} must be a whole number, 1 or more, not ${snapshotWindow}`,
    );
  const uploadDirectory = options.uploadDirectory || undefined;
  if (uploadDirectory !== undefined && options.uploadStorage !== undefined)
    throw new Error(
      `Pushpage options: ${name('uploadDirectory')} and ${name('uploadStorage')} are set together; give one`,
    );
  return {
    redisUrl: options.redisUrl || undefined,
    redisClusterNodes,
    redis: options.redis,
    adapter: options.adapter ?? (cluster ? 'sharded' : 'classic'),
    keyPrefix: options.keyPrefix ?? 'pp:',
    sessionSecrets: secretList(options.sessionSecret),
    sessionMaxAgeMs,
    sessionIdleMs,
    disconnectGraceMs: options.disconnectGraceMs ?? 30_000,
    maxMessageBytes: options.maxMessageBytes ?? 1024 * 1024,
    websockets: options.websockets ?? true,
    restRateLimit: options.restRateLimit ?? 100,
    secureCookies: options.secureCookies ?? 'auto',
    trustProxy: trustProxyOf(options.trustProxy),
    shutdownDelayMs: options.shutdownDelayMs ?? 0,
    contentSecurityPolicy,
    clientScripts,
    publicOrigins: normalizeOrigins(options.publicOrigins ?? [], name('publicOrigins')),
    allowedOrigins: normalizeOrigins(options.allowedOrigins ?? [], name('allowedOrigins')),
    metricsToken,
    metricsPort,
    metricsHost: options.metricsHost || undefined,
    publicMetrics: options.publicMetrics ?? false,
    socketRateLimit: options.socketRateLimit ?? 20,
    maxPagesPerSession: options.maxPagesPerSession ?? 100,
    pageRateLimit: options.pageRateLimit ?? 2,
    maxChildren: options.maxChildren ?? DEFAULT_MAX_CHILDREN,
    maxScopeBytes,
    snapshotWindow,
    maxDocumentBytes,
    serveAssets: options.serveAssets ?? true,
    uploadDirectory,
    uploadStorage: options.uploadStorage,
    settingNames,
  };
}

function trustProxyOf(
  value: PushpageModuleOptions['trustProxy'],
): PushpageModuleOptions['trustProxy'] {
  if (typeof value === 'number' && !(Number.isInteger(value) && value >= 0))
    throw new Error(
      `Pushpage options: trustProxy ${value} is not a number of proxies (a whole number, 0 or more)`,
    );
  return value;
}

function secretList(secret: string | readonly string[] | undefined): readonly string[] {
  const list = typeof secret === 'string' ? [secret] : (secret ?? []);
  return list.filter((s) => s !== '');
}

/** How the app's users set an option, for messages: its name in `settingNames`, or the option's. */
export function settingName(
  options: ResolvedPushpageOptions,
  option: keyof PushpageModuleOptions,
): string {
  return nameOfSetting(options.settingNames, option);
}

function nameOfSetting(
  settingNames: NonNullable<PushpageModuleOptions['settingNames']>,
  option: keyof PushpageModuleOptions,
): string {
  return settingNames[option] ?? `the ${option} option of PushpageModule`;
}

/**
 * Whether the options put the store on Redis (a URL, cluster seeds or a client) rather than
 * in memory.
 */
export function usesRedis(options: ResolvedPushpageOptions): boolean {
  return Boolean(options.redisUrl || options.redisClusterNodes || options.redis);
}

/** The socket path the gateway listens on and the client connects to. */
export const SOCKET_PATH = '/pushpage/socket.io';

/** Where the library serves the runtime and vendored assets. */
export const ASSET_BASE = '/pushpage';

/** Injection token of the options with defaults filled in. */
export const PUSHPAGE_CONFIG = Symbol('pushpage:config');
