import { PushpageError } from '../errors';
import { ID_PATTERN } from '../protocol';
import { OwnerStorageStore, STORAGE_LIMITS, StorageOwner, storageEntryBytes } from '../store/store';

/**
 * What the app keeps per browser session (`msg.storage.user`), by key: declare it where the
 * app starts, and every `get`/`set` is type-checked against it.
 *
 * ```ts
 * declare module 'pushpage' {
 *   interface UserStorage {
 *     theme: 'light' | 'dark';
 *   }
 *   interface TabStorage {
 *     draft: string;
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- apps add keys by declaration merging
export interface UserStorage {}

/** What the app keeps per browser tab (`msg.storage.tab`), by key; see {@link UserStorage}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- apps add keys by declaration merging
export interface TabStorage {}

/**
 * One owner's storage: JSON values by key, typed by `T` ({@link UserStorage} or
 * {@link TabStorage}). Every call goes to the store, so any replica reads what another wrote.
 * Values are JSON: at most 64 kB per value (its JSON text) and 256 kB per owner (every
 * key's name and JSON text); over a limit, `set` throws `too-large` and stores nothing.
 * Key names are 1 to 100 letters, digits, `_`, `-`, `.` and `:`.
 *
 * @typeParam T - the keys and their value types
 */
export interface StorageArea<T> {
  /** The value under `key`, as stored (a JSON copy); `undefined` if none. */
  get<K extends keyof T & string>(key: K): Promise<T[K] | undefined>;
  /** Stores a JSON copy of `value` under `key`. */
  set<K extends keyof T & string>(key: K, value: T[K]): Promise<void>;
  /** Removes `key`. */
  delete(key: keyof T & string): Promise<void>;
  /** Every stored key with its value. */
  getAll(): Promise<Partial<T>>;
}

/** `msg.storage` and `req.storage`: the session's storage and the tab's. */
export interface HandlerStorage {
  /**
   * The browser session's storage (`msg.sessionId`): seen by every tab of the session, on
   * every replica. It expires with the session (at its maximum age; a revoked session's
   * storage is deleted).
   */
  readonly user: StorageArea<UserStorage>;
  /**
   * The storage of the tab that sent the event: kept across the tab's reconnects and reloads,
   * not seen by the session's other tabs, and kept a day after the tab last used it. Throws
   * `bad-request` in a page's `render` (no tab yet) and for an event without a tab id (a REST
   * client that sent none, a page timer's tick).
   */
  readonly tab: StorageArea<TabStorage>;
}

/** @internal Where a handler's storage lives. */
export interface StorageContext {
  store: OwnerStorageStore;
  sessionId: string;
  /** When the session's storage expires: the session's start plus its maximum age (ms since the epoch). */
  userExpireAt: number;
  /** The tab that sent the event, if it said. */
  tabId?: string;
  /** Why there is no tab storage (the message of the error a use of it throws). */
  noTab?: string;
  /** Why there is no session storage (a page timer's tick): a use throws `bad-request` with it. */
  noUser?: string;
  /** The clock (ms since the epoch). */
  now?: () => number;
}

/** Checks a key name; throws `bad-request`. */
function checkKey(key: unknown): string {
  if (typeof key !== 'string' || !STORAGE_LIMITS.key.test(key)) {
    throw new PushpageError(
      'bad-request',
      'a storage key is 1 to 100 letters, digits, "_", "-", "." and ":"',
    );
  }
  return key;
}

/** The JSON text of a value within the per-value limit; throws `too-large` or `bad-request`. */
function jsonOf(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new PushpageError(
      'bad-request',
      `storage value of ${key} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (json === undefined)
    throw new PushpageError('bad-request', `storage value of ${key} is not JSON (use delete)`);
  const bytes = Buffer.byteLength(json);
  if (bytes > STORAGE_LIMITS.valueBytes) {
    throw new PushpageError(
      'too-large',
      `storage value of ${key} is ${bytes} bytes of JSON; at most ${STORAGE_LIMITS.valueBytes}`,
    );
  }
  return json;
}

/** An owner's storage on the store; `expireAt` says when it expires from now on. */
class StoredArea<T> implements StorageArea<T> {
  constructor(
    private readonly store: OwnerStorageStore,
    private readonly owner: StorageOwner,
    private readonly expireAt: () => number,
    private readonly what: string,
  ) {}

  async get<K extends keyof T & string>(key: K): Promise<T[K] | undefined> {
    const json = await this.store.storageGet(this.owner, checkKey(key), this.expireAt());
    return json === null ? undefined : (JSON.parse(json) as T[K]);
  }

  async set<K extends keyof T & string>(key: K, value: T[K]): Promise<void> {
    const json = jsonOf(checkKey(key), value);
    const stored = await this.store.storageSet(
      this.owner,
      key,
      json,
      STORAGE_LIMITS.ownerBytes,
      this.expireAt(),
    );
    if (!stored) {
      throw new PushpageError(
        'too-large',
        `${this.what} storage would hold more than ${STORAGE_LIMITS.ownerBytes} bytes with ` +
          `${key} (${storageEntryBytes(key, json)} bytes); nothing was stored`,
      );
    }
  }

  async delete(key: keyof T & string): Promise<void> {
    await this.store.storageDelete(this.owner, checkKey(key), this.expireAt());
  }

  async getAll(): Promise<Partial<T>> {
    const all = await this.store.storageGetAll(this.owner, this.expireAt());
    const out: Record<string, unknown> = {};
    for (const [key, json] of Object.entries(all)) out[key] = JSON.parse(json);
    return out as Partial<T>;
  }
}

/** A storage whose every use throws `bad-request` with `why`. */
class MissingArea<T> implements StorageArea<T> {
  constructor(private readonly why: string) {}
  private refuse(): Promise<never> {
    return Promise.reject(new PushpageError('bad-request', this.why));
  }
  get(): Promise<never> {
    return this.refuse();
  }
  set(): Promise<never> {
    return this.refuse();
  }
  delete(): Promise<never> {
    return this.refuse();
  }
  getAll(): Promise<never> {
    return this.refuse();
  }
}

/** @internal The storage of a handler or a page's render. */
export function handlerStorage(context: StorageContext): HandlerStorage {
  const now = context.now ?? Date.now;
  const { store, sessionId, tabId } = context;
  const user =
    context.noUser !== undefined
      ? new MissingArea<UserStorage>(context.noUser)
      : new StoredArea<UserStorage>(
          store,
          { session: sessionId },
          () => context.userExpireAt,
          "the session's",
        );
  const tab =
    tabId === undefined
      ? new MissingArea<TabStorage>(
          context.noTab ??
            'msg.storage.tab needs the tab id the browser sends; this event came without one',
        )
      : new StoredArea<TabStorage>(
          store,
          { session: sessionId, tab: checkTabId(tabId) },
          () => now() + STORAGE_LIMITS.tabKeepMs,
          "the tab's",
        );
  return { user, tab };
}

/** A tab id a client sent, checked; throws `bad-request` if malformed. */
export function checkTabId(tabId: unknown): string {
  if (typeof tabId !== 'string' || !ID_PATTERN.test(tabId))
    throw new PushpageError('bad-request', 'tabId must be 1 to 64 letters, digits, "_" or "-"');
  return tabId;
}

/** @internal The storage of a message made without one (a test's): every use throws. */
export const noStorage: HandlerStorage = {
  user: new MissingArea<UserStorage>('no storage was given to this message'),
  tab: new MissingArea<TabStorage>('no storage was given to this message'),
};
