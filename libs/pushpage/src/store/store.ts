/**
 * The store keeps every component tree, so that any replica can serve any page.
 * Two implementations pass one contract: in memory (one process) and Redis (one server or a
 * Redis Cluster). Components live in _scopes_ (pages and shared elements): every
 * operation names the scope it works in, so a store can keep each scope in one place (one
 * Redis Cluster hash slot) and load it whole in a fixed number of reads.
 */
import type { RedisClient } from './redis/redis-client';

/** A component as stored: structure plus opaque JSON-encoded fields. */
export interface StoredComponent {
  id: string;
  type: string;
  /** The single parent of a non-shared component; `null` for roots and shared components. */
  parent: string | null;
  /** Child ids in order; `null` when the load did not read them (see {@link LoadMode}). */
  children: string[] | null;
  /** When `children` is `null`: how many children it has, if the load knows. */
  childCount?: number;
  /**
   * Scopes only: the bytes the scope's components hold in the store, as
   * {@link componentBytes} counts them (what `maxScopeBytes` bounds); absent if the store
   * does not know yet.
   */
  bytes?: number;
  /** Pages and shared elements are scopes: units of broadcast with their own version. */
  scope: boolean;
  /** The scope's version, raised by every commit that changes the scope; 0 otherwise. */
  version: number;
  /** Field name (`p:text`, `d:message`, `e:click`, `m:session`, `b:value`) → JSON text. */
  fields: Record<string, string>;
  /**
   * Scopes only: how many updates the collaborative documents in the scope have had (see
   * `appendDocUpdate`); absent if none.
   */
  edits?: number;
}

/** A new component written whole. */
export type NewStoredComponent = Omit<
  StoredComponent,
  'version' | 'children' | 'childCount' | 'edits' | 'bytes'
> & {
  children: string[];
};

/**
 * One change in a commit. `home` is the scope that holds component `id` (the id itself for
 * a page or shared element). Changes to components that no longer exist are skipped.
 */
export type StoreOp =
  /** A new component (a new scope when `component.scope`, its own home then). */
  | { op: 'create'; home: string; component: NewStoredComponent }
  | { op: 'set'; home: string; id: string; field: string; value: string }
  | { op: 'unset'; home: string; id: string; field: string }
  /**
   * Insert `child` at `index` (-1 or past the end: append); an existing entry moves.
   * `childrenAfter`: how many children `id` holds after this commit as the writer knows it
   * (from what it loaded), if it knows; a store may use it to skip a separate check of
   * `maxChildren` far below the limit (see `CHILD_LIMIT_SLACK`).
   */
  | {
      op: 'insert';
      home: string;
      id: string;
      child: string;
      index: number;
      childrenAfter?: number;
    }
  | { op: 'remove'; home: string; id: string; child: string }
  /**
   * Delete a component that is not a scope and its non-shared descendants (pages go with
   * `deletePage`). `parts` lists them with the fields they hold as far as the caller knows
   * (a store that cannot enumerate a component's fields deletes these), and which of them
   * have a collaborative document.
   */
  | { op: 'delete'; home: string; id: string; parts: DeletedPart[] };

/** A component a `delete` removes, with its stored field names. */
export interface DeletedPart {
  id: string;
  fields: string[];
  hasDoc: boolean;
}

/** A page's scope versions and access fields (`m:session`, `m:shared` as stored JSON). */
export interface PageState {
  versions: Record<string, number>;
  fields: Record<string, string>;
  /** Document edits of each scope that has any (see `StoredComponent.edits`). */
  docs: Record<string, number>;
}

/**
 * A page read for an HTTP client (see `readPage`): its ETag, its access fields (as in
 * {@link PageState}), and its records unless the client already has this revision.
 */
export interface PageRead {
  etag: string;
  fields: Record<string, string>;
  /** `load([pageId], 'tree')` of the same moment; absent when the ETag was the known one. */
  records?: StoredComponent[];
}

/**
 * What {@link PushpageStore.appendDocUpdate} answers when the update would take the document's
 * log past its byte budget.
 */
export const DOC_FULL = -1;

/** Where an event id stands; see {@link PushpageStore.beginEvent}. */
export type EventClaim = 'run' | 'running' | 'done';

/** An atomic batch of operations. */
export interface CommitRequest {
  ops: StoreOp[];
  /**
   * Scope versions the changes were computed from: if any scope is at another version (or
   * no longer exists), the commit does nothing and answers `conflict`.
   */
  expect?: Record<string, number>;
  /** Scopes whose version this commit raises (each by one). */
  bump: string[];
  /** Register `id` under a unique name; if the name is already taken the commit does nothing. */
  claim?: { name: string; id: string };
  /**
   * Marks an event held by `owner` as done in the same step, so a retry can never apply it
   * again; if `owner` no longer holds it the commit does nothing. `scope` is where the event
   * was begun (see `beginEvent`).
   */
  receipt?: { scope: string; eventId: string; owner: string; doneTtlMs: number };
  /**
   * Patches to keep in their scope's catch-up log, under the version this commit gives the
   * scope: `body` is the patch as a JSON object without `s` and `v` (`{"o":[...],...}`).
   * A scope the commit does not bump logs nothing.
   */
  log?: { scope: string; body: string }[];
  /**
   * Counts a new page against its session's limit: if the session already has `max` pages
   * that still exist, the commit does nothing.
   */
  sessionPage?: { session: string; pageId: string; max: number };
  /** The most children a component may hold after the commit; over it, the commit does nothing. */
  maxChildren?: number;
  /**
   * The most bytes one scope may hold after the commit (see {@link componentBytes}): a commit
   * that would take a scope past it, or further past it, does nothing. A commit that shrinks a
   * scope always applies.
   */
  maxScopeBytes?: number;
  /**
   * The bytes of scopes as the writer loaded them ({@link StoredComponent.bytes}); a store may
   * use them to skip a separate check of `maxScopeBytes` far below the limit (see
   * {@link scopeBytesSlack}).
   */
  knownBytes?: Record<string, number>;
}

/** The limits a commit is checked against (the module's options of the same names). */
export interface StoreLimits {
  maxChildren: number;
  maxScopeBytes: number;
}

/**
 * The bytes a component holds in the store, the measure of `maxScopeBytes`: for each of its
 * fields, its type (`t`) and its child ids (`k`, space-separated), the UTF-8 bytes of the
 * field's name and value, the name prefixed with `<id>|` unless the component is its scope's
 * own record. Both stores count the same, whatever their layout.
 */
export function componentBytes(
  component: Pick<StoredComponent, 'id' | 'type' | 'fields'> & { children: readonly string[] },
  scope: string,
): number {
  const prefix = component.id === scope ? 0 : Buffer.byteLength(component.id) + 1;
  const field = (name: string, value: string) =>
    prefix + Buffer.byteLength(name) + Buffer.byteLength(value);
  let bytes = field('t', component.type) + field('k', component.children.join(' '));
  for (const [name, value] of Object.entries(component.fields)) bytes += field(name, value);
  return bytes;
}

/**
 * How far below `maxScopeBytes` a writer's estimate of a scope it did not read must stay for
 * a store to skip checking the budget in a step of its own: a quarter of the budget, 1 MiB
 * at most. Passing the budget then takes that many bytes written into the scope by others
 * between the writer's load and its commit.
 */
export function scopeBytesSlack(maxScopeBytes: number): number {
  return Math.min(1024 * 1024, Math.floor(maxScopeBytes / 4));
}

/**
 * A commit that inserts into a scope it did not read checks the scope's child limit in a
 * step of its own before it is decided, unless the writer's count (`childrenAfter`) is at
 * least this far below `maxChildren`: passing the limit then takes more than this many other
 * inserts into the same component between the writer's load and its commit.
 */
export const CHILD_LIMIT_SLACK = 1000;

/** How many patches a scope's catch-up log keeps, and for how long after its last one. */
export const PATCH_LOG = { keep: 200, ttlMs: 15 * 60 * 1000 } as const;

/** The outcome of a commit. */
export type CommitResult =
  /**
   * Applied. `replayed`: this commit (same receipt and owner) had been applied already, its
   * answer lost and the commit sent again; nothing was applied twice, and `versions` is empty.
   */
  | {
      ok: true;
      versions: Record<string, number>;
      replayed?: true;
      /** The bytes each scope the commit changed holds after it, where the store says. */
      bytes?: Record<string, number>;
    }
  | { ok: false; conflict: string }
  | { ok: false; existing: string }
  | { ok: false; receiptLost: true }
  | { ok: false; tooManyPages: true }
  | { ok: false; tooManyChildren: string }
  /** The scope would hold more than `maxScopeBytes`. */
  | { ok: false; tooLarge: string };

/**
 * How far `load` follows children from the roots (which are scopes):
 * - `self`: only the roots' own records, without their child lists;
 * - `page`: everything inside the roots, but other scopes below them (shared elements) only
 *   as their own record, without child list (a page with a 1,000-message board loads the
 *   board's record alone);
 * - `tree`: every descendant, every child list.
 */
export type LoadMode = 'self' | 'page' | 'tree';

/** What the store knows of a browser session: see `touchSession` and `revokeSession`. */
export interface SessionRecord {
  /** When a replica last recorded a use of the session (ms since the epoch), if one did. */
  usedAt?: number;
  /** When the session was revoked (ms since the epoch), if it was. */
  revokedAt?: number;
}

/** Pages and shared elements as trees of components: commits, loads, names. */
export interface TreeStore {
  /**
   * Applies a batch in order. Each scope's part is one atomic step that no other commit
   * interleaves; a batch over several scopes is applied scope by scope, the checks of every
   * validated scope (`expect`) first, and with a receipt it is applied exactly once even if
   * the replica dies between two scopes (`beginEvent` finishes it).
   */
  commit(request: CommitRequest): Promise<CommitResult>;
  /**
   * Loads scopes from the roots down, in breadth-first order; roots that are not scopes, or
   * do not exist, are skipped.
   */
  load(roots: readonly string[], mode: LoadMode): Promise<StoredComponent[]>;
  /**
   * Deletes a page: its components, catch-up log, documents, deadline and its place in its
   * session's page count. Shared elements on it stay. Nothing happens for an unknown id.
   */
  deletePage(pageId: string): Promise<void>;
  /**
   * What a rejoining tab needs: the version of every scope a page shows and who may see it,
   * without reading the components' fields. `null` if the page does not exist.
   */
  pageState(pageId: string): Promise<PageState | null>;
  /**
   * Reads a whole page and its revision's ETag (`revisionEtag`) in one step, leaving out
   * the records when the ETag equals `knownEtag`, so a poll of an unchanged page costs one
   * round trip and no fields. `null` if the page does not exist.
   */
  readPage(pageId: string, knownEtag?: string): Promise<PageRead | null>;
  /** The id registered under a name, if it still exists. */
  lookupName(name: string): Promise<string | null>;
  /** Number of stored components (for tests and metrics). */
  countComponents(): Promise<number>;
}

/** Receipts: an event id is applied once, whichever replica runs or retries it. */
export interface ReceiptStore {
  /**
   * Starts applying an event id for `owner` in `scope` (the event's page): `run` if the
   * owner may apply it now (holding it for `ttlMs`), `running` if another owner holds it,
   * `done` if it was applied (a commit over several scopes that a replica left half done is
   * finished first).
   */
  beginEvent(scope: string, eventId: string, owner: string, ttlMs: number): Promise<EventClaim>;
  /** Keeps an event held while its handler runs. */
  renewEvent(scope: string, eventId: string, owner: string, ttlMs: number): Promise<void>;
  /**
   * Ends an event: `applied` remembers it as done for `doneTtlMs` (a retry is a duplicate);
   * otherwise it is forgotten, so a retry applies it.
   */
  endEvent(
    scope: string,
    eventId: string,
    owner: string,
    applied: boolean,
    doneTtlMs: number,
  ): Promise<void>;
}

/** Leases (cluster-once tasks) and values every replica agrees on. */
export interface LeaseStore {
  /** Takes or renews a lease; true if `owner` holds it afterwards. */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives a lease up if `owner` holds it. */
  releaseLease(name: string, owner: string): Promise<void>;
  /**
   * The value every replica agrees on for a setting (the session secret): stores `candidate`
   * under `name` unless a value is there already, and returns the stored one. It never expires.
   */
  agreeOn(name: string, candidate: string): Promise<string>;
}

/** A page timer as the schedule holds it: where it is, how often it ticks, when next. */
export interface ArmedTimer {
  page: string;
  timer: string;
  /** ms between ticks */
  every: number;
  /** when it ticks next, ms since the epoch */
  due: number;
}

/** One text per armed timer (ids never hold `/`): its page, id and interval. */
export function timerKey(timer: Pick<ArmedTimer, 'page' | 'timer' | 'every'>): string {
  return `${timer.page}/${timer.timer}/${timer.every}`;
}

/** The timer a {@link timerKey} names, with the due time it is held at; none if malformed. */
export function timerOfKey(key: string, due: number): ArmedTimer | undefined {
  const [page, timer, every, ...rest] = key.split('/');
  const ms = Number(every);
  if (rest.length > 0 || !page || !timer || !Number.isInteger(ms)) return undefined;
  return { page, timer, every: ms, due };
}

/**
 * The schedule of page timers, one for the cluster: which timers are armed and when each
 * ticks next. A timer is one entry per page, timer and interval.
 */
export interface TimerStore {
  /** Arms timers not armed yet (an armed one keeps its due time). */
  armTimers(timers: readonly ArmedTimer[]): Promise<void>;
  /** Armed timers due at `now`, the earliest first, at most `limit`. */
  dueTimers(now: number, limit: number): Promise<ArmedTimer[]>;
  /**
   * Moves a timer's next tick from its `due` to `next`, unless someone moved it first: true
   * when this caller did, and so runs the tick.
   */
  claimTimer(timer: ArmedTimer, next: number): Promise<boolean>;
  /** Forgets an armed timer. */
  disarmTimer(timer: ArmedTimer): Promise<void>;
  /**
   * Sets a timer aside while its page has no tab, unless someone moved it since it was due:
   * it stops coming up as due until {@link TimerStore.wakeTimers} for its page.
   */
  idleTimer(timer: ArmedTimer): Promise<void>;
  /** Puts a page's idle timers back on the schedule, due at `now` (a tab joined the page). */
  wakeTimers(pageId: string, now: number): Promise<void>;
  /** Forgets a page's idle timers (the page was deleted). */
  dropIdleTimers(pageId: string): Promise<void>;
}

/** When pages may be deleted: deadlines that tabs and events push back. */
export interface ExpiryStore {
  /** Sets the time (ms since the epoch) after which pages may be deleted, unless touched again. */
  touchPages(pageIds: readonly string[], deadline: number): Promise<void>;
  /** Pages whose deadline is before `now`, at most `limit`. Deleting a page forgets its deadline. */
  expiredPages(now: number, limit: number): Promise<string[]>;
}

/** The update log of each collaborative document. */
export interface DocumentLogStore {
  /**
   * Appends a Yjs update to the collaborative document of component `id` in `scope`, unless
   * the document's log would then hold more than `maxBytes` bytes of updates. Returns how
   * many updates the log holds now; 0 if the component does not exist, {@link DOC_FULL} if
   * the update would take the log past `maxBytes` (storing nothing either way). Raises the
   * scope's `edits` by one (compaction leaves them alone). The store keeps the log's byte
   * count with it, changed in the same step as the log; both are deleted with the component.
   */
  appendDocUpdate(scope: string, id: string, update: Uint8Array, maxBytes: number): Promise<number>;
  /** The updates of a component's document, oldest first; none for an unknown component. */
  loadDocUpdates(scope: string, id: string): Promise<Uint8Array[]>;
  /**
   * Replaces the first `count` updates of a document's log by `merged`, if the log still
   * starts with `first` (another replica may have compacted it meanwhile). True if it did;
   * the log's byte count then loses the bytes of the updates replaced and gains `merged`'s.
   */
  compactDoc(
    scope: string,
    id: string,
    count: number,
    first: Uint8Array,
    merged: Uint8Array,
  ): Promise<boolean>;
}

/** The recent patches of each scope, for tabs that catch up. */
export interface PatchLogStore {
  /**
   * The logged patches of a scope with versions `after + 1` to `upTo`, as JSON texts in
   * version order; `null` when the log does not hold all of them (too old, or expired).
   */
  patchesSince(scope: string, after: number, upTo: number): Promise<string[] | null>;
}

/** What is recorded of a session across replicas: its last use, its revocation. */
export interface SessionStore {
  /**
   * Records that a session was used at `usedAt` (ms since the epoch), replacing the use
   * recorded before; the record is kept for `keepMs` after this write.
   */
  touchSession(sessionId: string, usedAt: number, keepMs: number): Promise<void>;
  /**
   * Marks a session revoked at `revokedAt`, for `keepMs` after this write (the sessions'
   * maximum age, after which no cookie of it is valid anyway). A later touch keeps it revoked.
   */
  revokeSession(sessionId: string, revokedAt: number, keepMs: number): Promise<void>;
  /** What is recorded of a session (one round trip); `null` when nothing is, or no longer. */
  sessionRecord(sessionId: string): Promise<SessionRecord | null>;
}

/**
 * Whose storage: a browser session (`msg.storage.user`), or one tab of it
 * (`msg.storage.tab`). A tab's storage is the session's too, so no other session reaches it.
 */
export interface StorageOwner {
  session: string;
  /** The tab id (absent: the session's own storage). */
  tab?: string;
}

/** The limits of per-user and per-tab storage. */
export const STORAGE_LIMITS = {
  /** UTF-8 bytes of one value's JSON text. */
  valueBytes: 64 * 1024,
  /** UTF-8 bytes one owner holds: every key's name and JSON text. */
  ownerBytes: 256 * 1024,
  /** A key name: 1 to 100 letters, digits, `_`, `-`, `.` and `:`. */
  key: /^[A-Za-z0-9_.:-]{1,100}$/,
  /** How long a tab's storage is kept after the tab's last use of it. */
  tabKeepMs: 24 * 60 * 60 * 1000,
} as const;

/** The bytes an entry counts against {@link STORAGE_LIMITS}`.ownerBytes`. */
export function storageEntryBytes(key: string, json: string): number {
  return Buffer.byteLength(key) + Buffer.byteLength(json);
}

/**
 * Small JSON values per owner (see {@link StorageOwner}): one store hash per owner, in one
 * Redis Cluster slot. Every call, reads included, sets when the owner's storage expires
 * (`expireAt`, ms since the epoch; a time past deletes it).
 */
export interface OwnerStorageStore {
  /** The JSON text under `key`, or `null`. */
  storageGet(owner: StorageOwner, key: string, expireAt: number): Promise<string | null>;
  /** Every key and its JSON text. */
  storageGetAll(owner: StorageOwner, expireAt: number): Promise<Record<string, string>>;
  /**
   * Stores `json` under `key` unless the owner would then hold more than `maxOwnerBytes`
   * (counted by {@link storageEntryBytes}): false then, and nothing changes. Atomic.
   */
  storageSet(
    owner: StorageOwner,
    key: string,
    json: string,
    maxOwnerBytes: number,
    expireAt: number,
  ): Promise<boolean>;
  /** Removes `key`; nothing happens if it is not there. */
  storageDelete(owner: StorageOwner, key: string, expireAt: number): Promise<void>;
  /** Removes an owner's storage whole (the session's own: a revoked session). */
  storageDrop(owner: StorageOwner): Promise<void>;
}

/** The connection behind the store. */
export interface StoreConnection {
  /**
   * Calls `listener` each time the store is back after its connection was lost (Redis: the
   * client is ready again), when broadcasts may have been missed and data may be gone.
   * The memory store never calls it.
   */
  onReconnect(listener: () => void): void;
  /**
   * The client of a store on Redis, where counts that must hold across replicas (rate limits
   * a load balancer would otherwise multiply) are kept; none for a store in one process.
   */
  readonly redisClient?: RedisClient;
  /** Resolves when the store answers (Redis: `PING`); rejects when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The store: every port above, behind one injection token. Code that needs one port takes
 * that port's type. Both implementations pass `test/store/store.contract.ts`.
 */
export interface PushpageStore
  extends
    TreeStore,
    ReceiptStore,
    LeaseStore,
    ExpiryStore,
    DocumentLogStore,
    PatchLogStore,
    SessionStore,
    TimerStore,
    OwnerStorageStore,
    StoreConnection {}

/** Injection token of the store. */
export const PUSHPAGE_STORE = Symbol('PUSHPAGE_STORE');
