import { randomBytes } from 'node:crypto';
import { Cluster, Redis, ReplyError } from 'ioredis';
import { PushpageError } from '../errors';
import { bucketOf, EXPIRY_BUCKETS, RedisLayout } from './redis-layout';
import {
  ACQUIRE_LEASE_SCRIPT,
  APPEND_DOC_SCRIPT,
  BEGIN_EVENT_SCRIPT,
  CLAIM_NAME_SCRIPT,
  COMPACT_DOC_SCRIPT,
  END_EVENT_SCRIPT,
  RELEASE_FENCE_SCRIPT,
  RELEASE_LEASE_SCRIPT,
  RENEW_EVENT_SCRIPT,
  STEP_SCRIPT,
  TAKE_PAGE_PLACE_SCRIPT,
} from './redis-scripts';
import { headOf, headRecord, insideRecords, ScopeHead } from './redis-records';
import { ScopeStep, stepArguments, stepsOf } from './redis-steps';
import { revisionEtag, revisionOf } from './revision';
import {
  CommitRequest,
  CommitResult,
  EventClaim,
  LoadMode,
  PageState,
  PushpageStore,
  PageRead,
  StoredComponent,
} from './store';

/** A client of one Redis or of a Redis Cluster. */
export type RedisClient = Redis | Cluster;

type StepReply = [code: number, value?: number | string];

interface ScriptCommands {
  ppStep(...keysAndArgs: string[]): Promise<StepReply>;
  ppAppendDoc(...keysAndArgs: (string | Buffer)[]): Promise<number>;
  ppCompactDoc(key: string, count: number, first: Buffer, merged: Buffer): Promise<number>;
  ppAcquireLease(key: string, owner: string, ttlMs: number): Promise<number>;
  ppReleaseLease(key: string, owner: string): Promise<number>;
  ppBeginEvent(
    receipt: string,
    plan: string,
    owner: string,
    ttlMs: number,
  ): Promise<[EventClaim, string?]>;
  ppRenewEvent(receipt: string, owner: string, ttlMs: number): Promise<number>;
  ppEndEvent(
    receipt: string,
    owner: string,
    applied: '1' | '0',
    doneTtlMs: number,
  ): Promise<number>;
  ppTakePagePlace(key: string, pageId: string, max: number): Promise<number>;
  ppReleaseFence(head: string, token: string): Promise<number>;
  ppClaimName(key: string, id: string, gone: string): Promise<string>;
}

/**
 * Each script with its fixed number of keys: the keys come first in every call, so a
 * cluster client (auto-pipelining included) routes the call by its first key.
 */
const SCRIPTS: Record<keyof ScriptCommands, { keys: number; lua: string }> = {
  ppStep: { keys: 5, lua: STEP_SCRIPT },
  ppAppendDoc: { keys: 3, lua: APPEND_DOC_SCRIPT },
  ppCompactDoc: { keys: 1, lua: COMPACT_DOC_SCRIPT },
  ppAcquireLease: { keys: 1, lua: ACQUIRE_LEASE_SCRIPT },
  ppReleaseLease: { keys: 1, lua: RELEASE_LEASE_SCRIPT },
  ppBeginEvent: { keys: 2, lua: BEGIN_EVENT_SCRIPT },
  ppRenewEvent: { keys: 1, lua: RENEW_EVENT_SCRIPT },
  ppEndEvent: { keys: 1, lua: END_EVENT_SCRIPT },
  ppTakePagePlace: { keys: 1, lua: TAKE_PAGE_PLACE_SCRIPT },
  ppReleaseFence: { keys: 1, lua: RELEASE_FENCE_SCRIPT },
  ppClaimName: { keys: 1, lua: CLAIM_NAME_SCRIPT },
};

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

/**
 * The longest a store call waits for its answer, whatever the client does meanwhile: a
 * cluster client can hold a command in its own queues through a failover, past the
 * per-connection command timeout.
 */
const CALL_DEADLINE_MS = 8000;

async function guarded<T>(call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from Redis within ${CALL_DEADLINE_MS} ms`)),
      CALL_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([call, deadline]);
  } catch (error) {
    throw storeFailure(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes a client: `QUIT` (after the replies it waits for) when connected; otherwise, or if
 * the connection is lost meanwhile, at once, so shutting down during a Redis outage neither
 * waits for reconnection attempts nor fails.
 */
export async function closeClient(redis: RedisClient): Promise<void> {
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

/** How a commit waits for another commit's fence to go: up to the fence's 3 s, and a bit. */
const FENCE_RETRY = { attempts: 140, pauseMs: 25 } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  private readonly redis: RedisClient & ScriptCommands;
  private readonly keys: RedisLayout;

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
    for (const [name, { keys, lua }] of Object.entries(SCRIPTS))
      redis.defineCommand(name, { numberOfKeys: keys, lua });
    this.redis = redis as RedisClient & ScriptCommands;
    this.keys = new RedisLayout(prefix);
  }

  onReconnect(listener: () => void): void {
    let lost = false;
    this.redis.on('close', () => (lost = true));
    this.redis.on('ready', () => {
      if (lost) listener();
      lost = false;
    });
  }

  // ---- commits ----------------------------------------------------------------------

  async commit(request: CommitRequest): Promise<CommitResult> {
    if (request.sessionPage) {
      const { session, pageId, max } = request.sessionPage;
      const placed = await guarded(
        this.redis.ppTakePagePlace(this.keys.sessionPages(session), pageId, max),
      );
      if (placed !== 1) return { ok: false, tooManyPages: true };
    }
    const result = await this.commitWaitingForFences(request);
    if (!result.ok || !request.claim) return result;
    // the scope exists before its name points to it; a claim that loses deletes its scope
    const { name, id } = request.claim;
    const holder = await this.claimName(name, id);
    if (holder === id) return result;
    await this.deletePage(id);
    return { ok: false, existing: holder };
  }

  private async commitWaitingForFences(request: CommitRequest): Promise<CommitResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.commitSteps(request);
      // a commit that met another commit's fence on a scope it did not read waits for it
      const fenced =
        !result.ok && 'conflict' in result && request.expect?.[result.conflict] === undefined;
      if (!fenced || attempt >= FENCE_RETRY.attempts) return result;
      await sleep(FENCE_RETRY.pauseMs);
    }
  }

  private async claimName(name: string, id: string): Promise<string> {
    const key = this.keys.name(name);
    let gone = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = await guarded(this.redis.ppClaimName(key, id, gone));
      if (holder === id) return id;
      if ((await guarded(this.redis.exists(this.keys.scope(holder).head))) === 1) return holder;
      gone = holder;
    }
    return gone;
  }

  private async commitSteps(request: CommitRequest): Promise<CommitResult> {
    const steps = stepsOf(request);
    if (steps.length === 0) return { ok: true, versions: {} };
    if (steps.length === 1)
      return this.outcome([steps[0]], [await this.step(steps[0], request, 'one', '')]);

    const main =
      steps.find((s) => s.scope === request.receipt?.scope) ??
      steps.find((s) => s.expect !== undefined) ??
      steps[0];
    const others = steps.filter((s) => s !== main);
    const token = randomBytes(9).toString('base64url');
    const fenced: ScopeStep[] = [];
    const release = () =>
      Promise.all(
        fenced.map((s) => this.redis.ppReleaseFence(this.keys.scope(s.scope).head, token)),
      ).catch(() => undefined);
    // the validated scopes are checked and fenced first, the others' child limits checked
    for (const step of others) {
      const limited = step.inserts && request.maxChildren !== undefined;
      const mode = step.expect !== undefined ? 'fence' : limited ? 'check' : undefined;
      if (!mode) continue;
      const reply = await this.step(step, request, mode, token).catch(async (error: unknown) => {
        await release();
        throw error;
      });
      if (reply[0] !== 1) {
        await release();
        const receipt = await this.receiptState(request);
        if (receipt === 'lost') return { ok: false, receiptLost: true };
        if (receipt === 'done') return this.replay(others, request, token);
        return this.outcome([step], [reply]);
      }
      if (mode === 'fence') fenced.push(step);
    }
    const plan = request.receipt
      ? JSON.stringify(
          others.map((s) => [s.scope, s.docs, stepArguments(s, request, 'part', token)]),
        )
      : '';
    const first = await this.step(main, request, 'main', token, plan);
    if (first[0] !== 1 && first[0] !== 6) {
      await release();
      return this.outcome([main], [first]);
    }
    const replies = [first];
    for (const step of others) replies.push(await this.part(step, request, token));
    if (plan)
      await guarded(
        this.redis.del(this.keys.scope(main.scope).plan(request.receipt?.eventId ?? '')),
      );
    return this.outcome([main, ...others], replies);
  }

  /**
   * Where this commit's event stands when a check failed before its main step: applied by
   * this very commit before (its answer was lost and it was sent again), no longer held by
   * its owner, or still held (the check's answer stands).
   */
  private async receiptState(request: CommitRequest): Promise<'done' | 'lost' | 'held'> {
    const receipt = request.receipt;
    if (!receipt) return 'held';
    const key = this.keys.scope(receipt.scope).receipt(receipt.eventId);
    const current = await guarded(this.redis.get(key));
    if (current === `done:${receipt.owner}`) return 'done';
    return current === `run:${receipt.owner}` ? 'held' : 'lost';
  }

  /** Applies again the steps of a commit already applied: each scope skips its own once. */
  private async replay(
    parts: ScopeStep[],
    request: CommitRequest,
    token: string,
  ): Promise<CommitResult> {
    for (const step of parts) await this.part(step, request, token);
    return { ok: true, versions: {}, replayed: true };
  }

  /**
   * A step after the main one: the commit is decided, so it must apply. A scope another
   * commit has fenced meanwhile takes it once that commit is done (milliseconds); if it never
   * is, the event's plan finishes the step when the event is sent again.
   */
  private part(step: ScopeStep, request: CommitRequest, token: string): Promise<StepReply> {
    const args = stepArguments(step, request, 'part', token);
    return this.runPart(step.scope, step.docs, request.receipt?.eventId ?? '-', args);
  }

  private async runPart(
    scope: string,
    docs: string[],
    eventId: string,
    args: string[],
  ): Promise<StepReply> {
    for (let attempt = 1; ; attempt++) {
      const reply = await this.runStep(scope, docs, eventId, args);
      if (reply[0] !== 5) return reply;
      if (attempt >= FENCE_RETRY.attempts)
        throw new PushpageError(
          'unavailable',
          `scope ${scope} stayed fenced by another commit; this one completes when sent again`,
        );
      await sleep(FENCE_RETRY.pauseMs);
    }
  }

  private step(
    step: ScopeStep,
    request: CommitRequest,
    mode: 'one' | 'main' | 'part' | 'fence' | 'check',
    token: string,
    plan = '',
  ): Promise<StepReply> {
    return this.runStep(
      step.scope,
      step.docs,
      request.receipt?.eventId ?? '-',
      stepArguments(step, request, mode, token, plan),
    );
  }

  private async runStep(
    scope: string,
    docs: string[],
    eventId: string,
    args: string[],
  ): Promise<StepReply> {
    const k = this.keys.scope(scope);
    const keys = [k.head, k.inside, k.log, k.receipt(eventId), k.plan(eventId)];
    const reply = await guarded(this.redis.ppStep(...keys, ...args));
    // the documents of deleted components go right after, in the same slot (a list left by a
    // replica that died in between holds dead updates only, until its scope is deleted)
    if (reply[0] === 1 && docs.length > 0) await guarded(this.redis.del(...docs.map(k.doc)));
    return reply;
  }

  private outcome(steps: ScopeStep[], replies: StepReply[]): CommitResult {
    const versions: Record<string, number> = {};
    let replayed = false;
    for (const [i, [code, value]] of replies.entries()) {
      const scope = steps[i].scope;
      if (code === 5) return { ok: false, conflict: scope };
      if (code === 2) return { ok: false, receiptLost: true };
      if (code === 4) return { ok: false, tooManyChildren: String(value) };
      if (code === 6) replayed = true;
      if (code === 1 && typeof value === 'number' && value >= 0) versions[scope] = value;
    }
    return replayed ? { ok: true, versions: {}, replayed: true } : { ok: true, versions };
  }

  /** Applies the steps a commit over several scopes left undone (its replica died). */
  private async finishPlan(scope: string, eventId: string, plan: string): Promise<void> {
    const parts = JSON.parse(plan) as [string, string[], string[]][];
    for (const [partScope, docs, args] of parts) await this.runPart(partScope, docs, eventId, args);
    await guarded(this.redis.del(this.keys.scope(scope).plan(eventId)));
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
    if (plan) await this.finishPlan(scope, eventId, plan);
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

  appendDocUpdate(scope: string, id: string, update: Uint8Array): Promise<number> {
    const k = this.keys.scope(scope);
    return guarded(
      this.redis.ppAppendDoc(
        k.head,
        k.inside,
        k.doc(id),
        id === scope ? '' : id,
        Buffer.from(update),
      ),
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
        this.keys.scope(scope).doc(id),
        count,
        Buffer.from(first),
        Buffer.from(merged),
      ),
    );
    return done === 1;
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
