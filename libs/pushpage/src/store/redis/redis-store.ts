import { Cluster } from 'ioredis';
import { closeClient, guarded, RedisClient, ScriptedClient, withScripts } from './redis-client';
import { RedisCommits } from './redis-commits';
import { bucketOf, EXPIRY_BUCKETS, RedisLayout } from './redis-layout';
import { headOf, headRecord, insideRecords, ScopeHead } from './redis-records';
import { revisionEtag, revisionOf } from '../revision';
import {
  ArmedTimer,
  CommitRequest,
  CommitResult,
  EventClaim,
  LoadMode,
  PageState,
  PushpageStore,
  PageRead,
  SessionRecord,
  StorageOwner,
  StoredComponent,
  timerKey,
  timerOfKey,
} from '../store';

/** A page's access fields from its head. */
function accessFields(session: string | null, shared: string | null): Record<string, string> {
  const fields: Record<string, string> = {};
  if (session) fields['m:session'] = session;
  if (shared) fields['m:shared'] = shared;
  return fields;
}

/**
 * The store on Redis or a Redis Cluster: each scope (page or shared element) is a few keys
 * in one hash slot (see `redis-layout.ts`); a commit is one script per scope it changes, a
 * load one or two reads per scope.
 */
export class RedisStore implements PushpageStore {
  private readonly redis: ScriptedClient;
  readonly redisClient: RedisClient;
  private readonly keys: RedisLayout;
  private readonly commits: RedisCommits;

  /**
   * @param redis - a connected client of one Redis or of a Redis Cluster; the store defines
   *   its scripts on it.
   * @param prefix - prefix of every key, so several apps can share one Redis.
   * @param ownsClient - whether `close()` should quit the client.
   */
  constructor(
    redis: RedisClient,
    prefix = 'pp:',
    private readonly ownsClient = true,
  ) {
    this.redisClient = redis;
    this.redis = withScripts(redis);
    this.keys = new RedisLayout(prefix);
    this.commits = new RedisCommits(this.redis, this.keys, (id) => this.deletePage(id));
  }

  commit(request: CommitRequest): Promise<CommitResult> {
    return this.commits.commit(request);
  }

  onReconnect(listener: () => void): void {
    let lost = false;
    this.redis.on('close', () => (lost = true));
    this.redis.on('ready', () => {
      if (lost) listener();
      lost = false;
    });
  }

  // ---- loads ------------------------------------------------------------------------

  async load(roots: readonly string[], mode: LoadMode): Promise<StoredComponent[]> {
    const records = new Map<string, StoredComponent>();
    const whole = new Set<string>();
    let wanted = [...new Set(roots)].map((id) => ({ id, whole: mode !== 'self' }));
    while (wanted.length > 0) {
      const read = await Promise.all(wanted.map((w) => this.readScope(w.id, w.whole)));
      const next: { id: string; whole: boolean }[] = [];
      for (const [i, found] of read.entries()) {
        if (!found) continue;
        for (const record of found)
          if (!records.has(record.id) || wanted[i].whole) records.set(record.id, record);
        if (!wanted[i].whole) continue;
        whole.add(wanted[i].id);
        for (const record of found)
          for (const child of record.children ?? [])
            if (!records.has(child) && !next.some((n) => n.id === child))
              next.push({ id: child, whole: mode === 'tree' });
      }
      wanted = next;
    }
    return breadthFirst(roots, records);
  }

  /** A scope's head (and its inside when `whole`), or `null` if it does not exist. */
  private async readScope(scopeId: string, whole: boolean): Promise<StoredComponent[] | null> {
    const k = this.keys.scope(scopeId);
    const [head, inside] = await guarded(
      Promise.all([
        this.redis.hgetall(k.head),
        whole ? this.redis.hgetall(k.inside) : Promise.resolve({}),
      ]),
    );
    const own = headRecord(scopeId, head, whole);
    if (!own) return null;
    return [own, ...insideRecords(own, inside).values()];
  }

  async deletePage(pageId: string): Promise<void> {
    const k = this.keys.scope(pageId);
    const [inside, ownDoc, session] = await guarded(
      Promise.all([
        this.redis.hkeys(k.inside),
        this.redis.hexists(k.head, 'dv'),
        this.redis.hget(k.head, 'm:session'),
      ]),
    );
    const docs = inside.filter((f) => f.endsWith('|dv')).map((f) => k.doc(f.slice(0, -3)));
    if (ownDoc) docs.push(k.doc(pageId));
    // every key of the page shares its slot: one DEL
    await guarded(this.redis.del(k.head, k.inside, k.log, ...docs));
    // its deadline goes last (even if the page went before): then it is gone in every way
    if (session)
      await guarded(this.redis.zrem(this.keys.sessionPages(JSON.parse(session) as string), pageId));
    await guarded(this.redis.zrem(this.keys.expiry(pageId), pageId));
  }

  async pageState(pageId: string): Promise<PageState | null> {
    const k = this.keys.scope(pageId);
    const [type, version, edits, shown, session, shared] = await guarded(
      this.redis.hmget(k.head, 't', 'v', 'de', 'x', 'm:session', 'm:shared'),
    );
    if (type !== 'WebPage') return null;
    const state = await this.scopeVersions(pageId, headOf([type, version, edits, shown]));
    return { versions: state.versions, fields: accessFields(session, shared), docs: state.docs };
  }

  /** The versions and document edits of a scope and every scope shown inside it. */
  private async scopeVersions(
    rootId: string,
    root: ScopeHead | null,
  ): Promise<{ versions: Record<string, number>; docs: Record<string, number> }> {
    const versions: Record<string, number> = {};
    const docs: Record<string, number> = {};
    let level: [string, ScopeHead | null][] = [[rootId, root]];
    while (level.length > 0) {
      const next: string[] = [];
      for (const [id, head] of level) {
        if (!head || versions[id] !== undefined) continue;
        versions[id] = head.version;
        if (head.edits) docs[id] = head.edits;
        for (const inner of head.shown) if (versions[inner] === undefined) next.push(inner);
      }
      const heads = await guarded(
        Promise.all(
          next.map((id) => this.redis.hmget(this.keys.scope(id).head, 't', 'v', 'de', 'x')),
        ),
      );
      level = next.map((id, i) => [id, headOf(heads[i])]);
    }
    return { versions, docs };
  }

  async readPage(pageId: string, knownEtag?: string): Promise<PageRead | null> {
    const state = await this.pageState(pageId);
    if (!state) return null;
    const etag = revisionEtag({ versions: state.versions, docs: state.docs ?? {} });
    if (etag === knownEtag) return { etag, fields: state.fields };
    const records = await this.load([pageId], 'tree');
    const page = records[0];
    if (!page || page.type !== 'WebPage') return null;
    return {
      etag: revisionEtag(revisionOf(records)),
      fields: accessFields(page.fields['m:session'] ?? null, page.fields['m:shared'] ?? null),
      records,
    };
  }

  // ---- names, leases, settings, deadlines ---------------------------------------------

  async agreeOn(name: string, candidate: string): Promise<string> {
    const key = this.keys.agreed(name);
    // whoever sets it first wins; nobody overwrites it, so the read sees the winner
    await guarded(this.redis.set(key, candidate, 'NX'));
    return (await guarded(this.redis.get(key))) ?? candidate;
  }

  async lookupName(name: string): Promise<string | null> {
    const id = await guarded(this.redis.get(this.keys.name(name)));
    if (id === null) return null;
    return (await guarded(this.redis.exists(this.keys.scope(id).head))) === 1 ? id : null;
  }

  async armTimers(timers: readonly ArmedTimer[]): Promise<void> {
    if (timers.length === 0) return;
    const entries = timers.flatMap((timer) => [timer.due, timerKey(timer)]);
    await guarded(this.redis.zadd(this.keys.timers(), 'NX', ...entries));
  }

  async dueTimers(now: number, limit: number): Promise<ArmedTimer[]> {
    const reply = await guarded(
      this.redis.zrangebyscore(this.keys.timers(), '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit),
    );
    const due: ArmedTimer[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const timer = timerOfKey(reply[i], Number(reply[i + 1]));
      if (timer) due.push(timer);
    }
    return due;
  }

  async claimTimer(timer: ArmedTimer, next: number): Promise<boolean> {
    const claimed = this.redis.ppClaimTimer(this.keys.timers(), timerKey(timer), timer.due, next);
    return (await guarded(claimed)) === 1;
  }

  async disarmTimer(timer: ArmedTimer): Promise<void> {
    await guarded(this.redis.zrem(this.keys.timers(), timerKey(timer)));
  }

  async idleTimer(timer: ArmedTimer): Promise<void> {
    const [timers, idle] = [this.keys.timers(), this.keys.idleTimers()];
    await guarded(this.redis.ppIdleTimer(timers, idle, timerKey(timer), timer.due, timer.page));
  }

  async wakeTimers(pageId: string, now: number): Promise<void> {
    await guarded(this.redis.ppWakeTimers(this.keys.timers(), this.keys.idleTimers(), pageId, now));
  }

  async dropIdleTimers(pageId: string): Promise<void> {
    await guarded(this.redis.hdel(this.keys.idleTimers(), pageId));
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await guarded(this.redis.ppAcquireLease(this.keys.lease(name), owner, ttlMs))) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await guarded(this.redis.ppReleaseLease(this.keys.lease(name), owner));
  }

  async touchPages(pageIds: readonly string[], deadline: number): Promise<void> {
    const buckets = new Map<number, string[]>();
    for (const id of pageIds) buckets.set(bucketOf(id), [...(buckets.get(bucketOf(id)) ?? []), id]);
    await guarded(
      Promise.all(
        [...buckets].map(([bucket, ids]) =>
          this.redis.zadd(this.keys.expiryBucket(bucket), ...ids.flatMap((id) => [deadline, id])),
        ),
      ),
    );
  }

  async expiredPages(now: number, limit: number): Promise<string[]> {
    const buckets = Array.from({ length: EXPIRY_BUCKETS }, (_, i) => i);
    const found = await guarded(
      Promise.all(
        buckets.map((bucket) =>
          this.redis.zrangebyscore(
            this.keys.expiryBucket(bucket),
            '-inf',
            `(${now}`,
            'LIMIT',
            0,
            limit,
          ),
        ),
      ),
    );
    return found.flat().slice(0, limit);
  }

  // ---- sessions ---------------------------------------------------------------------------

  async touchSession(sessionId: string, usedAt: number, keepMs: number): Promise<void> {
    const key = this.keys.sessionUsed(sessionId);
    await guarded(this.redis.set(key, String(usedAt), 'PX', Math.max(1, Math.ceil(keepMs))));
  }

  async revokeSession(sessionId: string, revokedAt: number, keepMs: number): Promise<void> {
    const key = this.keys.sessionRevoked(sessionId);
    await guarded(this.redis.set(key, String(revokedAt), 'PX', Math.max(1, Math.ceil(keepMs))));
  }

  async sessionRecord(sessionId: string): Promise<SessionRecord | null> {
    // both keys share the session's slot: one command
    const [used, revoked] = await guarded(
      this.redis.mget(this.keys.sessionUsed(sessionId), this.keys.sessionRevoked(sessionId)),
    );
    if (used === null && revoked === null) return null;
    return {
      ...(used === null ? {} : { usedAt: Number(used) }),
      ...(revoked === null ? {} : { revokedAt: Number(revoked) }),
    };
  }

  // ---- per-user and per-tab storage --------------------------------------------------------

  private storageKey(owner: StorageOwner): string {
    return owner.tab === undefined
      ? this.keys.userStorage(owner.session)
      : this.keys.tabStorage(owner.session, owner.tab);
  }

  async storageGet(owner: StorageOwner, key: string, expireAt: number): Promise<string | null> {
    const found = await guarded(
      this.redis.ppStorageGet(this.storageKey(owner), key, Math.floor(expireAt)),
    );
    return typeof found === 'string' ? found : null;
  }

  async storageGetAll(owner: StorageOwner, expireAt: number): Promise<Record<string, string>> {
    const found = await guarded(
      this.redis.ppStorageGet(this.storageKey(owner), '', Math.floor(expireAt)),
    );
    const out: Record<string, string> = {};
    const flat = Array.isArray(found) ? found : [];
    for (let i = 0; i + 1 < flat.length; i += 2) if (flat[i] !== '#b') out[flat[i]] = flat[i + 1];
    return out;
  }

  async storageSet(
    owner: StorageOwner,
    key: string,
    json: string,
    maxOwnerBytes: number,
    expireAt: number,
  ): Promise<boolean> {
    const stored = await guarded(
      this.redis.ppStorageSet(
        this.storageKey(owner),
        key,
        json,
        maxOwnerBytes,
        Math.floor(expireAt),
      ),
    );
    return stored === 1;
  }

  async storageDelete(owner: StorageOwner, key: string, expireAt: number): Promise<void> {
    await guarded(this.redis.ppStorageDelete(this.storageKey(owner), key, Math.floor(expireAt)));
  }

  async storageDrop(owner: StorageOwner): Promise<void> {
    await guarded(this.redis.del(this.storageKey(owner)));
  }

  // ---- event receipts ---------------------------------------------------------------------

  async beginEvent(
    scope: string,
    eventId: string,
    owner: string,
    ttlMs: number,
  ): Promise<EventClaim> {
    const k = this.keys.scope(scope);
    const [claim, plan] = await guarded(
      this.redis.ppBeginEvent(k.receipt(eventId), k.plan(eventId), owner, ttlMs),
    );
    if (plan) await this.commits.finishPlan(scope, eventId, plan);
    return claim;
  }

  async renewEvent(scope: string, eventId: string, owner: string, ttlMs: number): Promise<void> {
    await guarded(this.redis.ppRenewEvent(this.keys.scope(scope).receipt(eventId), owner, ttlMs));
  }

  async endEvent(
    scope: string,
    eventId: string,
    owner: string,
    applied: boolean,
    doneTtlMs: number,
  ): Promise<void> {
    await guarded(
      this.redis.ppEndEvent(
        this.keys.scope(scope).receipt(eventId),
        owner,
        applied ? '1' : '0',
        doneTtlMs,
      ),
    );
  }

  // ---- collaborative documents ------------------------------------------------------------

  appendDocUpdate(
    scope: string,
    id: string,
    update: Uint8Array,
    maxBytes: number,
  ): Promise<number> {
    return guarded(
      this.redis.ppAppendDoc(...this.docKeys(scope, id), Buffer.from(update), maxBytes),
    );
  }

  async loadDocUpdates(scope: string, id: string): Promise<Uint8Array[]> {
    return guarded(this.redis.lrangeBuffer(this.keys.scope(scope).doc(id), 0, -1));
  }

  async compactDoc(
    scope: string,
    id: string,
    count: number,
    first: Uint8Array,
    merged: Uint8Array,
  ): Promise<boolean> {
    const done = await guarded(
      this.redis.ppCompactDoc(
        ...this.docKeys(scope, id),
        count,
        Buffer.from(first),
        Buffer.from(merged),
      ),
    );
    return done === 1;
  }

  /**
   * The keys and first argument of the document scripts: the scope's head and inside, the
   * document's log, and the component's id ('' for the scope's own record).
   */
  private docKeys(scope: string, id: string): [string, string, string, string] {
    const k = this.keys.scope(scope);
    return [k.head, k.inside, k.doc(id), id === scope ? '' : id];
  }

  async patchesSince(scope: string, after: number, upTo: number): Promise<string[] | null> {
    if (upTo <= after) return [];
    const texts = await guarded(
      this.redis.zrangebyscore(this.keys.scope(scope).log, after + 1, upTo),
    );
    return texts.length === upTo - after ? texts : null;
  }

  async ping(): Promise<void> {
    await guarded(this.redis.ping());
  }

  /** Counts components on every node (a scan: for tests and metrics). */
  async countComponents(): Promise<number> {
    const nodes = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    let count = 0;
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await guarded(
          node.scan(cursor, 'MATCH', this.keys.headPattern, 'COUNT', 1000),
        );
        cursor = next;
        for (const key of keys) {
          if (key.slice(this.keys.prefix.length + 1, -1).includes(':')) continue;
          const fields = await guarded(node.hkeys(`${key}:in`));
          count += 1 + fields.filter((f) => f.endsWith('|t')).length;
        }
      } while (cursor !== '0');
    }
    return count;
  }

  /** Quits the client if the store owns it; while Redis is unreachable, drops it at once. */
  async close(): Promise<void> {
    if (!this.ownsClient) return;
    await closeClient(this.redis);
  }
}

/** Records from the roots down, breadth first, each once. */
function breadthFirst(
  roots: readonly string[],
  records: Map<string, StoredComponent>,
): StoredComponent[] {
  const out: StoredComponent[] = [];
  const seen = new Set<string>();
  const queue = [...roots];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    if (seen.has(id)) continue;
    seen.add(id);
    const record = records.get(id);
    if (!record) continue;
    out.push(record);
    queue.push(...(record.children ?? []));
  }
  return out;
}
