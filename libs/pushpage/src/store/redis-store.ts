import { Redis, ReplyError } from 'ioredis';
import { PushpageError } from '../errors';
import {
  ACQUIRE_LEASE_SCRIPT,
  APPEND_DOC_SCRIPT,
  BEGIN_EVENT_SCRIPT,
  COMMIT_SCRIPT,
  COMPACT_DOC_SCRIPT,
  END_EVENT_SCRIPT,
  LOAD_SCRIPT,
  PAGE_STATE_SCRIPT,
  READ_PAGE_SCRIPT,
  RELEASE_LEASE_SCRIPT,
  RENEW_EVENT_SCRIPT,
} from './redis-scripts';
import {
  CommitRequest,
  CommitResult,
  EventClaim,
  LoadMode,
  PageState,
  PATCH_LOG,
  PushpageStore,
  PageRead,
  StoredComponent,
} from './store';

type LoadReply = [id: string, fields: string[], children?: string[]][];

interface ScriptCommands {
  ppCommit(
    prefix: string,
    request: string,
    keep: number,
    ttlMs: number,
  ): Promise<(string | number)[]>;
  ppLoad(prefix: string, mode: LoadMode, ...roots: string[]): Promise<LoadReply>;
  ppPageState(prefix: string, pageId: string): Promise<[] | [string[], [string, string]]>;
  ppReadPage(
    prefix: string,
    pageId: string,
    knownEtag: string,
  ): Promise<[] | [string, [string, string]] | [string, [string, string], LoadReply]>;
  ppAcquireLease(prefix: string, name: string, owner: string, ttlMs: number): Promise<number>;
  ppReleaseLease(prefix: string, name: string, owner: string): Promise<number>;
  ppBeginEvent(prefix: string, id: string, owner: string, ttlMs: number): Promise<EventClaim>;
  ppRenewEvent(prefix: string, id: string, owner: string, ttlMs: number): Promise<number>;
  ppAppendDoc(prefix: string, id: string, update: Buffer): Promise<number>;
  ppCompactDoc(
    prefix: string,
    id: string,
    count: number,
    first: Buffer,
    merged: Buffer,
  ): Promise<number>;
  ppEndEvent(
    prefix: string,
    id: string,
    owner: string,
    applied: '1' | '0',
    doneTtlMs: number,
  ): Promise<number>;
}

/** A page's `m:session` and `m:shared` fields from a script's `{session, shared}` reply. */
function accessFields([session, shared]: [string, string]): Record<string, string> {
  const fields: Record<string, string> = {};
  if (session) fields['m:session'] = session;
  if (shared) fields['m:shared'] = shared;
  return fields;
}

const SYSTEM_FIELDS = new Set(['t', 'par', 'sc', 'v', 'dv']);

/** Replies of a Redis that cannot serve right now (starting, failing over, out of memory...). */
const TRANSIENT_REPLY =
  /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MISCONF|OOM)\b/;

/**
 * What a failed Redis call becomes: a Redis that cannot be reached (connection lost, refused,
 * timed out, retries exhausted) or cannot serve right now is the retryable `unavailable`
 * (503 over REST; tabs send their events again); any other error reply (a script error) is a
 * bug and stays as it is.
 */
export function storeFailure(error: unknown): unknown {
  if (error instanceof PushpageError) return error;
  if (error instanceof (ReplyError as typeof Error) && !TRANSIENT_REPLY.test(error.message))
    return error;
  const unavailable = new PushpageError(
    'unavailable',
    'the page store (Redis) is temporarily unavailable; try again in a moment',
  );
  Object.defineProperty(unavailable, 'cause', { value: error });
  return unavailable;
}

async function guarded<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw storeFailure(error);
  }
}

function parseComponent(
  id: string,
  flat: string[],
  children: string[] | undefined,
): StoredComponent {
  const c: StoredComponent = {
    id,
    type: '',
    parent: null,
    children: children ?? null,
    scope: false,
    version: 0,
    fields: {},
  };
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i];
    const value = flat[i + 1];
    if (!SYSTEM_FIELDS.has(name)) c.fields[name] = value;
    else if (name === 't') c.type = value;
    else if (name === 'par') c.parent = value || null;
    else if (name === 'sc') c.scope = value === '1';
    else if (name === 'v') c.version = Number(value);
    else if (name === 'dv') c.edits = Number(value);
  }
  return c;
}

/**
 * Closes a client: `QUIT` (after the replies it waits for) when connected; otherwise, or if
 * the connection is lost meanwhile, at once, so shutting down during a Redis outage neither
 * waits for reconnection attempts nor fails.
 */
export async function closeClient(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // lost while quitting: disconnect below
    }
  }
  redis.disconnect();
}

/** The store on Redis: one hash per component, every commit one Lua script. */
export class RedisStore implements PushpageStore {
  private readonly redis: Redis & ScriptCommands;

  /**
   * @param redis - a connected client; the store defines its scripts on it.
   * @param prefix - prefix of every key, so several apps can share one Redis.
   * @param ownsClient - whether `close()` should quit the client.
   */
  constructor(
    redis: Redis,
    private readonly prefix = 'pp:',
    private readonly ownsClient = true,
  ) {
    redis.defineCommand('ppCommit', { numberOfKeys: 0, lua: COMMIT_SCRIPT });
    redis.defineCommand('ppLoad', { numberOfKeys: 0, lua: LOAD_SCRIPT });
    redis.defineCommand('ppPageState', { numberOfKeys: 0, lua: PAGE_STATE_SCRIPT });
    redis.defineCommand('ppAcquireLease', { numberOfKeys: 0, lua: ACQUIRE_LEASE_SCRIPT });
    redis.defineCommand('ppReleaseLease', { numberOfKeys: 0, lua: RELEASE_LEASE_SCRIPT });
    redis.defineCommand('ppBeginEvent', { numberOfKeys: 0, lua: BEGIN_EVENT_SCRIPT });
    redis.defineCommand('ppRenewEvent', { numberOfKeys: 0, lua: RENEW_EVENT_SCRIPT });
    redis.defineCommand('ppEndEvent', { numberOfKeys: 0, lua: END_EVENT_SCRIPT });
    redis.defineCommand('ppAppendDoc', { numberOfKeys: 0, lua: APPEND_DOC_SCRIPT });
    redis.defineCommand('ppCompactDoc', { numberOfKeys: 0, lua: COMPACT_DOC_SCRIPT });
    redis.defineCommand('ppReadPage', { numberOfKeys: 0, lua: READ_PAGE_SCRIPT });
    this.redis = redis as Redis & ScriptCommands;
  }

  onReconnect(listener: () => void): void {
    let lost = false;
    this.redis.on('close', () => (lost = true));
    this.redis.on('ready', () => {
      if (lost) listener();
      lost = false;
    });
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const reply = await guarded(
      this.redis.ppCommit(this.prefix, JSON.stringify(request), PATCH_LOG.keep, PATCH_LOG.ttlMs),
    );
    if (Number(reply[0]) === 0) return { ok: false, existing: String(reply[1]) };
    if (Number(reply[0]) === 2) return { ok: false, receiptLost: true };
    if (Number(reply[0]) === 3) return { ok: false, tooManyPages: true };
    if (Number(reply[0]) === 4) return { ok: false, tooManyChildren: String(reply[1]) };
    if (Number(reply[0]) === 5) return { ok: false, conflict: String(reply[1]) };
    if (Number(reply[0]) === 6) return { ok: true, versions: {}, replayed: true };
    const versions: Record<string, number> = {};
    for (let i = 1; i < reply.length; i += 2) versions[String(reply[i])] = Number(reply[i + 1]);
    return { ok: true, versions };
  }

  async load(roots: readonly string[], mode: LoadMode): Promise<StoredComponent[]> {
    if (roots.length === 0) return [];
    const reply = await guarded(this.redis.ppLoad(this.prefix, mode, ...roots));
    return reply.map(([id, flat, children]) => parseComponent(id, flat, children));
  }

  async pageState(pageId: string): Promise<PageState | null> {
    const reply = await guarded(this.redis.ppPageState(this.prefix, pageId));
    if (reply.length === 0) return null;
    const [flat, access] = reply;
    const versions: Record<string, number> = {};
    for (let i = 0; i < flat.length; i += 2) versions[flat[i]] = Number(flat[i + 1]);
    return { versions, fields: accessFields(access) };
  }

  async readPage(pageId: string, knownEtag?: string): Promise<PageRead | null> {
    const reply = await guarded(this.redis.ppReadPage(this.prefix, pageId, knownEtag ?? ''));
    if (reply.length === 0) return null;
    const [etag, access, loaded] = reply;
    const fields = accessFields(access);
    if (!loaded) return { etag, fields };
    return {
      etag,
      fields,
      records: loaded.map(([id, flat, kids]) => parseComponent(id, flat, kids)),
    };
  }

  async agreeOn(name: string, candidate: string): Promise<string> {
    const key = `${this.prefix}agreed:${name}`;
    // whoever sets it first wins; nobody overwrites it, so the read sees the winner
    await guarded(this.redis.set(key, candidate, 'NX'));
    return (await guarded(this.redis.get(key))) ?? candidate;
  }

  async lookupName(name: string): Promise<string | null> {
    const id = await guarded(this.redis.get(`${this.prefix}n:${name}`));
    if (id === null) return null;
    return (await guarded(this.redis.exists(`${this.prefix}c:${id}`))) === 1 ? id : null;
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await guarded(this.redis.ppAcquireLease(this.prefix, name, owner, ttlMs))) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await guarded(this.redis.ppReleaseLease(this.prefix, name, owner));
  }

  async touchPages(pageIds: readonly string[], deadline: number): Promise<void> {
    if (pageIds.length === 0) return;
    await guarded(
      this.redis.zadd(`${this.prefix}expiry`, ...pageIds.flatMap((id) => [deadline, id])),
    );
  }

  async expiredPages(now: number, limit: number): Promise<string[]> {
    return guarded(
      this.redis.zrangebyscore(`${this.prefix}expiry`, '-inf', `(${now}`, 'LIMIT', 0, limit),
    );
  }

  beginEvent(eventId: string, owner: string, ttlMs: number): Promise<EventClaim> {
    return guarded(this.redis.ppBeginEvent(this.prefix, eventId, owner, ttlMs));
  }

  async renewEvent(eventId: string, owner: string, ttlMs: number): Promise<void> {
    await guarded(this.redis.ppRenewEvent(this.prefix, eventId, owner, ttlMs));
  }

  async endEvent(
    eventId: string,
    owner: string,
    applied: boolean,
    doneTtlMs: number,
  ): Promise<void> {
    await guarded(
      this.redis.ppEndEvent(this.prefix, eventId, owner, applied ? '1' : '0', doneTtlMs),
    );
  }

  appendDocUpdate(id: string, update: Uint8Array): Promise<number> {
    return guarded(this.redis.ppAppendDoc(this.prefix, id, Buffer.from(update)));
  }

  async loadDocUpdates(id: string): Promise<Uint8Array[]> {
    return guarded(this.redis.lrangeBuffer(`${this.prefix}y:${id}`, 0, -1));
  }

  async compactDoc(
    id: string,
    count: number,
    first: Uint8Array,
    merged: Uint8Array,
  ): Promise<boolean> {
    const done = await guarded(
      this.redis.ppCompactDoc(this.prefix, id, count, Buffer.from(first), Buffer.from(merged)),
    );
    return done === 1;
  }

  async patchesSince(scope: string, after: number, upTo: number): Promise<string[] | null> {
    if (upTo <= after) return [];
    const texts = await guarded(
      this.redis.zrangebyscore(`${this.prefix}p:${scope}`, after + 1, upTo),
    );
    return texts.length === upTo - after ? texts : null;
  }

  async ping(): Promise<void> {
    await guarded(this.redis.ping());
  }

  async countComponents(): Promise<number> {
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await guarded(
        this.redis.scan(cursor, 'MATCH', `${this.prefix}c:*`, 'COUNT', 1000),
      );
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  }

  /** Quits the client if the store owns it; while Redis is unreachable, drops it at once. */
  async close(): Promise<void> {
    if (!this.ownsClient) return;
    await closeClient(this.redis);
  }
}
