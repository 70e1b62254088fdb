import {
  ArmedTimer,
  CommitRequest,
  CommitResult,
  DOC_FULL,
  EventClaim,
  LoadMode,
  PageState,
  PATCH_LOG,
  PushpageStore,
  PageRead,
  SessionRecord,
  StorageOwner,
  storageEntryBytes,
  StoredComponent,
  timerKey,
} from '../store';
import { revisionEtag, revisionOf } from '../revision';
import { StagedCommit, StoredRecord } from './memory-staging';

/** Who may see a page: its `m:session` and `m:shared` fields. */
function accessFields(page: StoredRecord): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of ['m:session', 'm:shared'])
    if (page.fields[name] !== undefined) fields[name] = page.fields[name];
  return fields;
}

interface Lease {
  owner: string;
  expiresAt: number;
}

/**
 * The embedded default: everything in this process's memory. Commits run synchronously,
 * so no other commit can interleave with one.
 */
export class MemoryStore implements PushpageStore {
  private readonly components = new Map<string, StoredRecord>();
  private readonly names = new Map<string, string>();
  private readonly agreed = new Map<string, string>();
  private readonly leases = new Map<string, Lease>();
  private readonly timers = new Map<string, ArmedTimer>();
  /** page id → its timers set aside while it has no tab, by timer key */
  private readonly idleTimers = new Map<string, Map<string, ArmedTimer>>();
  /** event id → its owner while running, or `done` */
  private readonly events = new Map<string, { state: string; expiresAt: number }>();
  private readonly deadlines = new Map<string, number>();
  /** component → its document's updates, oldest first, and their bytes */
  private readonly docs = new Map<string, { updates: Uint8Array[]; bytes: number }>();
  /** scope → how many document updates were appended to documents in it */
  private readonly edits = new Map<string, number>();
  /** session → its pages (some may be deleted already; counted lazily) */
  private readonly sessionPages = new Map<string, Set<string>>();
  /** `used`/`revoked` and a session id → the time recorded and until when it is kept */
  private readonly sessionMarks = new Map<string, { at: number; keptUntil: number }>();
  /** scope → the bytes its components hold (see `componentBytes`) */
  private readonly scopeBytes = new Map<string, number>();
  /** scope → logged patches (version, JSON text), oldest first */
  private readonly patchLogs = new Map<string, { version: number; text: string }[]>();
  /** storage owner → its keys' JSON texts, their bytes, and when it expires */
  private readonly storage = new Map<string, OwnedStorage>();

  async commit(request: CommitRequest): Promise<CommitResult> {
    // every check comes before the first change: a refused commit changes nothing
    if (request.receipt) {
      const { scope, eventId, owner } = request.receipt;
      const current = this.events.get(eventKey(scope, eventId));
      if (current?.state === `done:${owner}`) return { ok: true, versions: {}, replayed: true };
      const held =
        current !== undefined && current.expiresAt > Date.now() && current.state === owner;
      if (!held) return { ok: false, receiptLost: true };
    }
    for (const [id, version] of Object.entries(request.expect ?? {})) {
      const scope = this.components.get(id);
      if (!scope?.scope || scope.version !== version) return { ok: false, conflict: id };
    }
    if (request.maxChildren !== undefined) {
      const adding = new Map<string, number>();
      for (const op of request.ops) {
        if (op.op === 'insert') adding.set(op.id, (adding.get(op.id) ?? 0) + 1);
        if (op.op === 'create' && op.component.children.length > request.maxChildren)
          return { ok: false, tooManyChildren: op.component.id };
      }
      for (const [id, n] of adding) {
        const held = this.components.get(id)?.children.length ?? 0;
        if (held + n > request.maxChildren) return { ok: false, tooManyChildren: id };
      }
    }
    const sessionPages = request.sessionPage
      ? [...(this.sessionPages.get(request.sessionPage.session) ?? [])].filter((id) =>
          this.components.has(id),
        )
      : [];
    if (request.sessionPage && sessionPages.length >= request.sessionPage.max)
      return { ok: false, tooManyPages: true };
    if (request.claim) {
      const existing = this.names.get(request.claim.name);
      if (existing !== undefined && this.components.has(existing)) return { ok: false, existing };
    }
    const staged = new StagedCommit(this.components);
    for (const op of request.ops) staged.apply(op);
    const gained = staged.bytesGained();
    if (request.maxScopeBytes !== undefined)
      for (const [scope, bytes] of gained)
        if (bytes > 0 && (this.scopeBytes.get(scope) ?? 0) + bytes > request.maxScopeBytes)
          return { ok: false, tooLarge: scope };
    if (request.receipt) {
      const { scope, eventId, owner, doneTtlMs } = request.receipt;
      this.events.set(eventKey(scope, eventId), {
        state: `done:${owner}`,
        expiresAt: Date.now() + doneTtlMs,
      });
    }
    if (request.sessionPage)
      this.sessionPages.set(
        request.sessionPage.session,
        new Set([...sessionPages, request.sessionPage.pageId]),
      );
    if (request.claim) this.names.set(request.claim.name, request.claim.id);
    const { written, deleted } = staged.changes();
    for (const record of written) this.components.set(record.id, record);
    for (const id of deleted) this.forget(id);
    for (const [scope, bytes] of gained)
      if (this.components.get(scope)?.scope)
        this.scopeBytes.set(scope, (this.scopeBytes.get(scope) ?? 0) + bytes);
    const versions: Record<string, number> = {};
    for (const id of new Set(request.bump)) {
      const c = this.components.get(id);
      if (c?.scope) versions[id] = ++c.version;
    }
    for (const { scope, body } of request.log ?? []) {
      const version = versions[scope];
      if (version === undefined) continue;
      const log = this.patchLogs.get(scope) ?? [];
      log.push({ version, text: `{"s":"${scope}","v":${version},${body.slice(1)}` });
      this.patchLogs.set(scope, log.slice(-PATCH_LOG.keep));
    }
    const bytes: Record<string, number> = {};
    for (const scope of gained.keys()) {
      const held = this.scopeBytes.get(scope);
      if (held !== undefined) bytes[scope] = held;
    }
    return { ok: true, versions, bytes };
  }

  async deletePage(pageId: string): Promise<void> {
    const page = this.components.get(pageId);
    if (!page?.scope) return;
    this.deadlines.delete(pageId);
    this.edits.delete(pageId);
    this.forgetSessionPage(page);
    this.deleteTree(page);
  }

  private forgetSessionPage(page: StoredRecord): void {
    const text = page.fields['m:session'];
    if (text === undefined) return;
    const session = JSON.parse(text) as string;
    const pages = this.sessionPages.get(session);
    pages?.delete(page.id);
    if (pages?.size === 0) this.sessionPages.delete(session);
  }

  private deleteTree(root: StoredRecord): void {
    const pending = [root];
    while (pending.length > 0) {
      const c = pending.pop() as StoredRecord;
      this.forget(c.id);
      for (const childId of c.children) {
        const child = this.components.get(childId);
        if (child && !child.scope && child.parent === c.id) pending.push(child);
      }
    }
  }

  private forget(id: string): void {
    this.components.delete(id);
    this.docs.delete(id);
    this.patchLogs.delete(id);
    this.scopeBytes.delete(id);
  }

  async load(roots: readonly string[], mode: LoadMode): Promise<StoredComponent[]> {
    const out: StoredComponent[] = [];
    const seen = new Set<string>();
    const rootSet = new Set(roots);
    const queue = roots.filter((id) => this.components.get(id)?.scope);
    while (queue.length > 0) {
      const id = queue.shift() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      const c = this.components.get(id);
      if (!c) continue;
      const descend = mode === 'tree' || (mode === 'page' && (!c.scope || rootSet.has(id)));
      const edits = c.scope ? this.edits.get(id) : undefined;
      const bytes = c.scope ? this.scopeBytes.get(id) : undefined;
      out.push({
        ...structuredClone(c),
        children: descend ? [...c.children] : null,
        ...(descend ? {} : { childCount: c.children.length }),
        ...(edits ? { edits } : {}),
        ...(bytes !== undefined ? { bytes } : {}),
      });
      if (descend) queue.push(...c.children);
    }
    return out;
  }

  async pageState(pageId: string): Promise<PageState | null> {
    const page = this.components.get(pageId);
    if (!page || page.type !== 'WebPage') return null;
    const versions: Record<string, number> = {};
    const docs: Record<string, number> = {};
    const seen = new Set<string>();
    const queue = [pageId];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      const c = this.components.get(id);
      if (!c || seen.has(id)) continue;
      seen.add(id);
      if (c.scope) versions[id] = c.version;
      const edits = this.edits.get(id);
      if (c.scope && edits) docs[id] = edits;
      queue.push(...c.children);
    }
    return { versions, fields: accessFields(page), docs };
  }

  async readPage(pageId: string, knownEtag?: string): Promise<PageRead | null> {
    const page = this.components.get(pageId);
    if (!page || page.type !== 'WebPage') return null;
    const records = await this.load([pageId], 'tree');
    const etag = revisionEtag(revisionOf(records));
    const fields = accessFields(page);
    return etag === knownEtag ? { etag, fields } : { etag, fields, records };
  }

  onReconnect(): void {
    // nothing to lose a connection to
  }

  async agreeOn(name: string, candidate: string): Promise<string> {
    if (!this.agreed.has(name)) this.agreed.set(name, candidate);
    return this.agreed.get(name) ?? candidate;
  }

  async lookupName(name: string): Promise<string | null> {
    const id = this.names.get(name);
    return id !== undefined && this.components.has(id) ? id : null;
  }

  async armTimers(timers: readonly ArmedTimer[]): Promise<void> {
    for (const timer of timers) {
      const key = timerKey(timer);
      if (!this.timers.has(key)) this.timers.set(key, { ...timer });
    }
  }

  async dueTimers(now: number, limit: number): Promise<ArmedTimer[]> {
    return [...this.timers.values()]
      .filter((timer) => timer.due <= now)
      .sort((a, b) => a.due - b.due)
      .slice(0, limit)
      .map((timer) => ({ ...timer }));
  }

  async claimTimer(timer: ArmedTimer, next: number): Promise<boolean> {
    const held = this.timers.get(timerKey(timer));
    if (!held || held.due !== timer.due) return false;
    held.due = next;
    return true;
  }

  async disarmTimer(timer: ArmedTimer): Promise<void> {
    this.timers.delete(timerKey(timer));
  }

  async idleTimer(timer: ArmedTimer): Promise<void> {
    const key = timerKey(timer);
    if (this.timers.get(key)?.due !== timer.due) return;
    this.timers.delete(key);
    const idle = this.idleTimers.get(timer.page) ?? new Map<string, ArmedTimer>();
    idle.set(key, { ...timer });
    this.idleTimers.set(timer.page, idle);
  }

  async wakeTimers(pageId: string, now: number): Promise<void> {
    const idle = this.idleTimers.get(pageId);
    this.idleTimers.delete(pageId);
    for (const timer of idle?.values() ?? []) await this.armTimers([{ ...timer, due: now }]);
  }

  async dropIdleTimers(pageId: string): Promise<void> {
    this.idleTimers.delete(pageId);
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const lease = this.leases.get(name);
    if (lease && lease.owner !== owner && lease.expiresAt > now) return false;
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }

  async touchPages(pageIds: readonly string[], deadline: number): Promise<void> {
    for (const id of pageIds) this.deadlines.set(id, deadline);
  }

  async expiredPages(now: number, limit: number): Promise<string[]> {
    const out: string[] = [];
    for (const [id, deadline] of this.deadlines) {
      if (out.length >= limit) break;
      if (deadline < now) out.push(id);
    }
    return out;
  }

  async touchSession(sessionId: string, usedAt: number, keepMs: number): Promise<void> {
    this.markSession(`used ${sessionId}`, usedAt, keepMs);
  }

  async revokeSession(sessionId: string, revokedAt: number, keepMs: number): Promise<void> {
    this.markSession(`revoked ${sessionId}`, revokedAt, keepMs);
  }

  async sessionRecord(sessionId: string): Promise<SessionRecord | null> {
    const used = this.sessionMark(`used ${sessionId}`);
    const revoked = this.sessionMark(`revoked ${sessionId}`);
    if (used === undefined && revoked === undefined) return null;
    return {
      ...(used === undefined ? {} : { usedAt: used }),
      ...(revoked === undefined ? {} : { revokedAt: revoked }),
    };
  }

  async storageGet(owner: StorageOwner, key: string, expireAt: number): Promise<string | null> {
    return this.owned(owner, expireAt)?.entries.get(key) ?? null;
  }

  async storageGetAll(owner: StorageOwner, expireAt: number): Promise<Record<string, string>> {
    return Object.fromEntries(this.owned(owner, expireAt)?.entries ?? []);
  }

  async storageSet(
    owner: StorageOwner,
    key: string,
    json: string,
    maxOwnerBytes: number,
    expireAt: number,
  ): Promise<boolean> {
    const now = Date.now();
    if (this.storage.size > 10_000) {
      for (const [k, held] of this.storage) if (held.expireAt <= now) this.storage.delete(k);
    }
    const held = this.owned(owner, expireAt) ?? { entries: new Map(), bytes: 0, expireAt };
    const old = held.entries.get(key);
    const bytes =
      held.bytes -
      (old === undefined ? 0 : storageEntryBytes(key, old)) +
      storageEntryBytes(key, json);
    if (bytes > maxOwnerBytes) return false;
    if (expireAt <= now) return true; // stored and expired at once
    held.entries.set(key, json);
    held.bytes = bytes;
    this.storage.set(ownerKey(owner), held);
    return true;
  }

  async storageDelete(owner: StorageOwner, key: string, expireAt: number): Promise<void> {
    const held = this.owned(owner, expireAt);
    const old = held?.entries.get(key);
    if (!held || old === undefined) return;
    held.entries.delete(key);
    held.bytes -= storageEntryBytes(key, old);
    if (held.entries.size === 0) this.storage.delete(ownerKey(owner));
  }

  async storageDrop(owner: StorageOwner): Promise<void> {
    this.storage.delete(ownerKey(owner));
  }

  /** An owner's storage unless it expired, its expiry moved to `expireAt`. */
  private owned(owner: StorageOwner, expireAt: number): OwnedStorage | undefined {
    const key = ownerKey(owner);
    const held = this.storage.get(key);
    const now = Date.now();
    if (!held) return undefined;
    if (held.expireAt <= now || expireAt <= now) {
      this.storage.delete(key);
      return undefined;
    }
    held.expireAt = expireAt;
    return held;
  }

  private markSession(key: string, at: number, keepMs: number): void {
    const now = Date.now();
    if (this.sessionMarks.size > 10_000) {
      for (const [k, mark] of this.sessionMarks)
        if (mark.keptUntil <= now) this.sessionMarks.delete(k);
    }
    this.sessionMarks.set(key, { at, keptUntil: now + keepMs });
  }

  private sessionMark(key: string): number | undefined {
    const mark = this.sessionMarks.get(key);
    if (mark === undefined || mark.keptUntil > Date.now()) return mark?.at;
    this.sessionMarks.delete(key);
    return undefined;
  }

  async beginEvent(
    scope: string,
    eventId: string,
    owner: string,
    ttlMs: number,
  ): Promise<EventClaim> {
    const now = Date.now();
    if (this.events.size > 10_000) {
      for (const [id, e] of this.events) if (e.expiresAt <= now) this.events.delete(id);
    }
    const key = eventKey(scope, eventId);
    const current = this.events.get(key);
    if (current && current.expiresAt > now) {
      if (current.state.startsWith('done:')) return 'done';
      if (current.state !== owner) return 'running';
    }
    this.events.set(key, { state: owner, expiresAt: now + ttlMs });
    return 'run';
  }

  async renewEvent(scope: string, eventId: string, owner: string, ttlMs: number): Promise<void> {
    const current = this.events.get(eventKey(scope, eventId));
    if (current?.state === owner) current.expiresAt = Date.now() + ttlMs;
  }

  async endEvent(
    scope: string,
    eventId: string,
    owner: string,
    applied: boolean,
    doneTtlMs: number,
  ): Promise<void> {
    const key = eventKey(scope, eventId);
    if (this.events.get(key)?.state !== owner) return;
    if (applied)
      this.events.set(key, { state: `done:${owner}`, expiresAt: Date.now() + doneTtlMs });
    else this.events.delete(key);
  }

  async appendDocUpdate(
    scope: string,
    id: string,
    update: Uint8Array,
    maxBytes: number,
  ): Promise<number> {
    if (!this.components.has(id) || !this.components.get(scope)?.scope) return 0;
    const log = this.docs.get(id) ?? { updates: [], bytes: 0 };
    if (log.bytes + update.length > maxBytes) return DOC_FULL;
    log.updates.push(Uint8Array.from(update));
    log.bytes += update.length;
    this.docs.set(id, log);
    this.edits.set(scope, (this.edits.get(scope) ?? 0) + 1);
    return log.updates.length;
  }

  async loadDocUpdates(_scope: string, id: string): Promise<Uint8Array[]> {
    return [...(this.docs.get(id)?.updates ?? [])];
  }

  async compactDoc(
    _scope: string,
    id: string,
    count: number,
    first: Uint8Array,
    merged: Uint8Array,
  ): Promise<boolean> {
    const log = this.docs.get(id);
    if (!log || log.updates.length < count || !sameBytes(log.updates[0], first)) return false;
    const replaced = log.updates.splice(0, count, Uint8Array.from(merged));
    log.bytes += merged.length - replaced.reduce((sum, update) => sum + update.length, 0);
    return true;
  }

  async patchesSince(scope: string, after: number, upTo: number): Promise<string[] | null> {
    if (upTo <= after) return [];
    const texts = (this.patchLogs.get(scope) ?? [])
      .filter((entry) => entry.version > after && entry.version <= upTo)
      .map((entry) => entry.text);
    return texts.length === upTo - after ? texts : null;
  }

  async ping(): Promise<void> {}

  async countComponents(): Promise<number> {
    return this.components.size;
  }

  async close(): Promise<void> {
    this.components.clear();
  }
}

function eventKey(scope: string, eventId: string): string {
  return `${scope} ${eventId}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** What one storage owner holds in the memory store. */
interface OwnedStorage {
  entries: Map<string, string>;
  /** the entries' bytes, as `storageEntryBytes` counts them */
  bytes: number;
  expireAt: number;
}

function ownerKey(owner: StorageOwner): string {
  return owner.tab === undefined ? `u ${owner.session}` : `t ${owner.session} ${owner.tab}`;
}
