/**
 * Key names of the Redis store. `{…}` is the hash tag that picks a Redis Cluster slot: every
 * key of one scope (page or shared element) shares its slot, so each operation on a scope
 * runs on one node; keys of different scopes spread over the cluster.
 */

/** How many sorted sets the page deadlines are spread over. */
export const EXPIRY_BUCKETS = 16;

/** The keys of one scope. */
export interface ScopeKeys {
  /** hash: the scope's own record, version, child ids, other scopes shown inside it */
  head: string;
  /** hash: every other component of the scope, field `<id>|<name>` */
  inside: string;
  /** sorted set: the catch-up log, patches by version */
  log: string;
  /** an event's receipt in this scope */
  receipt(eventId: string): string;
  /** the steps still to apply of an event's commit over several scopes */
  plan(eventId: string): string;
  /** list: the Yjs updates of a collaborative document in the scope */
  doc(componentId: string): string;
}

/** Builds every key name from one prefix (several apps can share one Redis). */
export class RedisLayout {
  constructor(readonly prefix: string) {}

  scope(scopeId: string): ScopeKeys {
    const tag = `${this.prefix}{${scopeId}}`;
    return {
      head: tag,
      inside: `${tag}:in`,
      log: `${tag}:log`,
      receipt: (eventId) => `${tag}:ev:${eventId}`,
      plan: (eventId) => `${tag}:plan:${eventId}`,
      doc: (componentId) => `${tag}:doc:${componentId}`,
    };
  }

  /** string: the scope id registered under a shared name */
  name(name: string): string {
    return `${this.prefix}{n:${name}}`;
  }

  /** sorted set: the armed page timers by next due time, one for the cluster (one slot) */
  timers(): string {
    return `${this.prefix}{timers}`;
  }

  /** hash: page id → the timer keys set aside while the page has no tab; slot of `timers` */
  idleTimers(): string {
    return `${this.timers()}:idle`;
  }

  /** string: a lease of a cluster-once task */
  lease(name: string): string {
    return `${this.prefix}{l:${name}}`;
  }

  /** sorted set: a session's pages (the pages-per-session limit) */
  sessionPages(sessionId: string): string {
    return `${this.prefix}{sp:${sessionId}}`;
  }

  /** string: when a session was last used; in the slot of its page set */
  sessionUsed(sessionId: string): string {
    return `${this.sessionPages(sessionId)}:used`;
  }

  /** string: when a session was revoked; in the slot of its page set */
  sessionRevoked(sessionId: string): string {
    return `${this.sessionPages(sessionId)}:revoked`;
  }

  /**
   * hash: a session's own storage (`msg.storage.user`), key → JSON text, and its bytes under
   * `#b`; in the slot of the session's page set
   */
  userStorage(sessionId: string): string {
    return `${this.sessionPages(sessionId)}:storage`;
  }

  /** hash: one tab's storage (`msg.storage.tab`) in a session, as {@link userStorage}; a slot of its own */
  tabStorage(sessionId: string, tabId: string): string {
    return `${this.prefix}{tab:${sessionId}:${tabId}}:storage`;
  }

  /** sorted set: deadlines of the pages whose id falls in this bucket */
  expiry(pageId: string): string {
    return this.expiryBucket(bucketOf(pageId));
  }

  expiryBucket(bucket: number): string {
    return `${this.prefix}{expiry:${bucket}}`;
  }

  /** string: a setting every replica agrees on */
  agreed(name: string): string {
    return `${this.prefix}{agreed}:${name}`;
  }

  /** The pattern of every scope's head, for counting (`SCAN MATCH`). */
  get headPattern(): string {
    return `${this.prefix}{*}`;
  }
}

/** A page's expiry bucket: a small stable hash of its id. */
export function bucketOf(pageId: string): number {
  let hash = 0;
  for (let i = 0; i < pageId.length; i++) hash = (hash * 31 + pageId.charCodeAt(i)) >>> 0;
  return hash % EXPIRY_BUCKETS;
}
