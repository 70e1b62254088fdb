/**
 * Shared pieces of the fuzz suite (`test/fuzz`): a demo server per store kind, tabs that
 * survive a dropped connection and can send raw Socket.IO frames, the answer contracts of
 * the socket and REST protocols, checks of stored pages, and the generators.
 */
import * as fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { DEFAULT_MAX_TEXT_LENGTH, EVENT_NAME_PATTERN, EVENT_TYPES, PageSnapshot } from 'pushpage';
import { MESSAGE_MAX_LENGTH } from '../../apps/demo/pages/message-board.page';
import { StoredComponent } from '../../libs/pushpage/src/store/store';
import { connectTab, DemoApp, loadPage, LoadedPage, ViewNode } from './demo-app';
import { scopeOfRecord } from '../../libs/pushpage/src/engine/snapshot';
import { RedisServer } from './redis-server';

// ---------------------------------------------------------------------------------------
// The server under test
// ---------------------------------------------------------------------------------------

export type StoreKind = 'memory' | 'redis';

/** How long one socket message may wait for its acknowledgement. */
export const ACK_TIMEOUT_MS = 5000;

/**
 * A frame bigger than this may close the connection (Socket.IO's default `maxHttpBufferSize`
 * is 1,000,000 bytes; the gateway sets it to `maxMessageBytes`, 1 MiB): the lower of the two.
 */
export const MAX_FRAME_BYTES = 1_000_000;

/** The demo app on one store, with the error lines its loggers wrote. */
export class FuzzServer {
  /** Every `error`/`fatal` line the server logged (an exception nobody expected). */
  readonly errors: string[] = [];

  private constructor(
    readonly app: DemoApp,
    private readonly redis: RedisServer | undefined,
  ) {}

  static async start(kind: StoreKind): Promise<FuzzServer> {
    const redis = kind === 'redis' ? await RedisServer.start() : undefined;
    let app: DemoApp;
    try {
      app = await DemoApp.start({
        // a fresh random secret (never a placeholder)
        PUSHPAGE_SESSION_SECRET: `fz${randomBytes(24).toString('hex')}`,
        // pages must not expire while they are fuzzed
        PUSHPAGE_DISCONNECT_GRACE_MS: String(15 * 60_000),
        // the fuzzer is one client sending fast: reach the handlers, not the limiters
        PUSHPAGE_REST_RATE_LIMIT: '1000000',
        PUSHPAGE_SOCKET_RATE_LIMIT: '100000',
        PUSHPAGE_MAX_PAGES_PER_SESSION: '100000',
        PUSHPAGE_PAGE_RATE_LIMIT: '100000',
        // the runs post more than this: the board is trimmed, and its size has a bound
        DEMO_BOARD_MESSAGES: String(BOARD_MESSAGES),
        ...(redis ? { REDIS_URL: redis.url } : {}),
      });
    } catch (error) {
      await redis?.stop();
      throw error;
    }
    const server = new FuzzServer(app, redis);
    app.app.useLogger(server.captureLogger());
    return server;
  }

  get url(): string {
    return this.app.url;
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.redis?.stop();
  }

  /** The logged errors since `mark` (an index into {@link errors}). */
  errorsSince(mark: number): string[] {
    return this.errors.slice(mark);
  }

  private captureLogger(): LoggerService {
    const keep = (message: unknown, ...rest: unknown[]): void => {
      const text = [message, ...rest]
        .map((part) => (typeof part === 'string' ? part : safeJson(part)))
        .join(' ');
      this.errors.push(text.slice(0, 2000));
    };
    return {
      log: () => undefined,
      warn: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
      error: keep,
      fatal: keep,
    };
  }
}

/** Throws if the server logged an error since `mark` (with the first lines of them). */
export function expectNoServerErrors(server: FuzzServer, mark: number, what: string): void {
  const errors = server.errorsSince(mark);
  if (errors.length > 0) {
    throw new Error(
      `the server logged ${errors.length} error(s) while handling ${what}:\n` +
        errors
          .slice(0, 3)
          .map((e) => e.slice(0, 600))
          .join('\n---\n'),
    );
  }
}

// ---------------------------------------------------------------------------------------
// Tabs: a page and its socket
// ---------------------------------------------------------------------------------------

/** What became of one socket message. */
export type Outcome =
  | { kind: 'ack'; ack: unknown }
  /** The server closed the connection (Socket.IO does for a frame over its buffer size). */
  | { kind: 'dropped'; reason: string; bytes: number };

let nextRawAckId = 1_000_000_000;

/** A page loaded over HTTP and a socket that has joined it; reconnects after a drop. */
export class Tab {
  socket: Socket;
  /** How often the server dropped this tab's connection. */
  drops = 0;

  private constructor(
    readonly baseUrl: string,
    readonly page: LoadedPage,
    /** Whether the tab joins its page (again after a reconnect). */
    private readonly joins: boolean,
  ) {
    this.socket = connectTab(baseUrl, page.cookie);
  }

  /** Loads `path` (with `cookie`: in that session), connects and joins. */
  static async open(baseUrl: string, path: string, cookie?: string): Promise<Tab> {
    const tab = new Tab(baseUrl, await loadPage(baseUrl, path, cookie), true);
    await tab.connected();
    await tab.join(tab.page.snapshot.versions);
    return tab;
  }

  /** A socket without a session cookie (its page is a `/hello` it never joins). */
  static async anonymous(baseUrl: string): Promise<Tab> {
    const { snapshot } = await loadPage(baseUrl, '/hello');
    const tab = new Tab(baseUrl, { cookie: '', snapshot }, false);
    await tab.connected();
    return tab;
  }

  get pageId(): string {
    return this.page.snapshot.pageId;
  }

  /** How a counterexample shows the tab. */
  [fc.toStringMethod](): string {
    return `Tab(${this.pageId})`;
  }

  get cookie(): string {
    return this.page.cookie;
  }

  /** Joins the tab's page; throws unless the server accepts. */
  async join(versions: Record<string, number> = {}): Promise<void> {
    const outcome = await this.emit('join', [{ pageId: this.pageId, versions }]);
    if (outcome.kind !== 'ack' || !isRecord(outcome.ack) || outcome.ack.ok !== true)
      throw new Error(`the tab could not join ${this.pageId}: ${describeOutcome(outcome)}`);
  }

  /** A new connection (joined to the page) if the server dropped the last one. */
  async ensureConnected(): Promise<void> {
    if (this.socket.connected) return;
    this.socket.disconnect();
    this.socket = connectTab(this.baseUrl, this.page.cookie);
    await this.connected();
    if (this.joins) await this.join();
  }

  /** Emits `event` with `args` (then an acknowledgement callback) and waits for the answer. */
  emit(event: string, args: unknown[], timeoutMs = ACK_TIMEOUT_MS): Promise<Outcome> {
    const bytes = frameBytes(event, args);
    return this.await(event, bytes, timeoutMs, (done) => this.socket.emit(event, ...args, done));
  }

  /**
   * Emits `event` with a body written as JSON text, bypassing the client's encoder: for
   * bodies it cannot encode (deep nesting) or that must keep exact keys (`__proto__`).
   */
  emitRaw(event: string, bodyText: string, timeoutMs = ACK_TIMEOUT_MS): Promise<Outcome> {
    const id = nextRawAckId++;
    const frame = `2${id}[${JSON.stringify(event)},${bodyText}]`;
    const bytes = Buffer.byteLength(frame) + 1;
    const engine = this.socket.io.engine;
    return this.await(event, bytes, timeoutMs, (done) => {
      const prefix = `3${id}[`;
      const onMessage = (data: unknown): void => {
        if (typeof data !== 'string' || !data.startsWith(prefix)) return;
        engine.off('message', onMessage);
        const args = JSON.parse(data.slice(prefix.length - 1)) as unknown[];
        done(args[0]);
      };
      engine.on('message', onMessage);
      engine.send(frame);
    });
  }

  /** Sends raw Socket.IO packet text (no acknowledgement expected). */
  sendPacket(text: string): void {
    this.socket.io.engine.send(text);
  }

  close(): void {
    this.socket.disconnect();
  }

  private await(
    event: string,
    bytes: number,
    timeoutMs: number,
    send: (done: (ack: unknown) => void) => void,
  ): Promise<Outcome> {
    const socket = this.socket;
    return new Promise<Outcome>((resolve, reject) => {
      if (!socket.connected) {
        reject(new Error(`the tab of ${this.pageId} is not connected`));
        return;
      }
      const finish = (): void => {
        clearTimeout(timer);
        socket.off('disconnect', onDisconnect);
      };
      const onDisconnect = (reason: string): void => {
        finish();
        this.drops++;
        resolve({ kind: 'dropped', reason, bytes });
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no acknowledgement of ${event} (${bytes} bytes) within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.on('disconnect', onDisconnect);
      send((ack) => {
        finish();
        resolve({ kind: 'ack', ack });
      });
    });
  }

  private connected(): Promise<void> {
    const socket = this.socket;
    if (socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the tab did not connect in 5 s')), 5000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }
}

/** The size of the frame Socket.IO sends for `[event, ...args]` (its largest part). */
export function frameBytes(event: string, args: unknown[]): number {
  let largestBinary = 0;
  const text = JSON.stringify([event, ...args], (_key, value: unknown) => {
    if (ArrayBuffer.isView(value)) {
      largestBinary = Math.max(largestBinary, value.byteLength);
      return { _placeholder: true, num: 0 };
    }
    return value;
  });
  return Math.max(Buffer.byteLength(text) + 12, largestBinary);
}

export function describeOutcome(outcome: Outcome): string {
  return outcome.kind === 'ack'
    ? `ack ${truncate(safeJson(outcome.ack))}`
    : `connection dropped (${outcome.reason}) after a ${outcome.bytes}-byte frame`;
}

// ---------------------------------------------------------------------------------------
// The contracts of an answer
// ---------------------------------------------------------------------------------------

/** Every error code of the protocol. */
export const ERROR_CODES = [
  'bad-request',
  'not-found',
  'forbidden',
  'not-listening',
  'handler-failed',
  'in-progress',
  'unavailable',
  'too-large',
  'rate-limited',
] as const;

/**
 * The codes that refuse a message for what it says. A healthy server answers a malformed
 * or mistaken message with one of these: `unavailable` means "retry, the server is going
 * away or cannot reach Redis" (clients retry it), `handler-failed` a handler that threw.
 */
export const CLIENT_ERROR_CODES = [
  'bad-request',
  'not-found',
  'forbidden',
  'not-listening',
  'too-large',
] as const;

export type Ack =
  | ({ ok: true } & Record<string, unknown>)
  | { ok: false; error: { code: string; message: string } };

/**
 * Checks an acknowledgement: `{ ok: true, ... }` with the result `event` answers, or
 * `{ ok: false, error: { code, message } }` with `code` in `codes` and a message.
 */
export function checkAck(event: string, ack: unknown, codes: readonly string[]): Ack {
  const shown = truncate(safeJson(ack));
  if (!isRecord(ack)) throw new Error(`${event}: the acknowledgement is not an object: ${shown}`);
  if (ack.ok === false) {
    const error = ack.error;
    if (!isRecord(error) || Object.keys(ack).length !== 2)
      throw new Error(`${event}: a refusal without the { ok, error } shape: ${shown}`);
    if (typeof error.code !== 'string' || !codes.includes(error.code))
      throw new Error(`${event}: refused with code ${String(error.code)}, not one of ${codes}`);
    if (typeof error.message !== 'string' || error.message.trim() === '')
      throw new Error(`${event}: a refusal without a message: ${shown}`);
    return { ok: false, error: { code: error.code, message: error.message } };
  }
  if (ack.ok !== true) throw new Error(`${event}: ok is neither true nor false: ${shown}`);
  checkResult(event, ack);
  return ack as Ack;
}

function checkResult(event: string, ack: Record<string, unknown>): void {
  const keys = Object.keys(ack).filter((k) => k !== 'ok');
  const fail = (why: string): never => {
    throw new Error(
      `${event}: accepted with a malformed result (${why}): ${truncate(safeJson(ack))}`,
    );
  };
  switch (event) {
    case 'event':
      if (typeof ack.updated !== 'boolean') fail('updated is not a boolean');
      if (ack.duplicate !== undefined && ack.duplicate !== true) fail('duplicate is not true');
      if (keys.some((k) => k !== 'updated' && k !== 'duplicate')) fail('unknown keys');
      break;
    case 'join':
      if (keys.length > 1 || keys.some((k) => k !== 'snapshot' && k !== 'patches'))
        fail('join answers nothing, a snapshot or patches');
      if (ack.snapshot !== undefined) checkSnapshot(ack.snapshot);
      if (ack.patches !== undefined) checkPatches(ack.patches);
      break;
    case 'resync':
      if (keys.length !== 1 || ack.snapshot === undefined) fail('resync answers a snapshot');
      checkSnapshot(ack.snapshot);
      break;
    case 'more':
      if (keys.length !== 3) fail('more answers nodes, k and m');
      checkMoreReply(ack, fail);
      break;
    case 'doc':
      if (keys.length > 1 || keys.some((k) => k !== 'update')) fail('doc answers an update');
      if (ack.update !== undefined && !isBase64(ack.update)) fail('the update is not base64');
      break;
    default:
      fail(`no such message as ${event}`);
  }
}

function checkPatches(patches: unknown): void {
  if (!Array.isArray(patches)) throw new Error('join: patches is not a list');
  for (const patch of patches) {
    if (
      !isRecord(patch) ||
      typeof patch.s !== 'string' ||
      !Number.isInteger(patch.v) ||
      !Array.isArray(patch.o)
    )
      throw new Error(`join: a malformed patch ${truncate(safeJson(patch))}`);
  }
}

/** The HTTP status of each REST error code. */
export const REST_STATUS: Record<string, number> = {
  'bad-request': 400,
  forbidden: 403,
  'not-found': 404,
  'too-large': 413,
  'not-listening': 422,
  'rate-limited': 429,
};

/** One REST answer. */
export interface RestAnswer {
  status: number;
  headers: Headers;
  text: string;
  json?: unknown;
}

/** A REST call; `body` is sent as it is (a string or bytes). */
export async function rest(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> } = {},
): Promise<RestAnswer> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: options.headers ?? {},
    body: options.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A REST call with a JSON body. */
export function restJson(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  cookie?: string,
): Promise<RestAnswer> {
  return rest(baseUrl, method, path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      ...(cookie ? { cookie } : {}),
    },
  });
}

/** The reasons an error may give for a page that cannot be used at all. */
const UNUSABLE_REASONS: readonly unknown[] = ['page-gone', 'session-unknown', 'other-session'];

/**
 * Checks a REST answer: a status in `success`, or an error status of the API with the
 * `{ statusCode, code, message, reason? }` body whose code matches the status. Returns the
 * code of an error, `null` for a success.
 */
export function checkRestAnswer(
  what: string,
  res: RestAnswer,
  success: readonly number[],
  codes: readonly string[] = Object.keys(REST_STATUS),
): string | null {
  const shown = `${what} → ${res.status} ${truncate(res.text)}`;
  if (success.includes(res.status)) return null;
  const body = res.json;
  if (!isRecord(body))
    throw new Error(`${shown}: the status is not one of ${success} and the body is no JSON error`);
  const code = body.code;
  if (typeof code !== 'string' || !codes.includes(code) || REST_STATUS[code] !== res.status)
    throw new Error(`${shown}: not an answer of the API (success ${success}, errors ${codes})`);
  const reasonOk =
    body.reason === undefined ||
    (UNUSABLE_REASONS.includes(body.reason) && ['not-found', 'forbidden'].includes(code));
  if (
    body.statusCode !== res.status ||
    typeof body.message !== 'string' ||
    body.message.trim() === '' ||
    !reasonOk ||
    Object.keys(body).length !== (body.reason === undefined ? 3 : 4)
  )
    throw new Error(`${shown}: the error is not { statusCode, code, message, reason? }`);
  return code;
}

// ---------------------------------------------------------------------------------------
// Stored state
// ---------------------------------------------------------------------------------------

const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Stored field names: kind (props, data, event bindings, meta), then a plain name. */
/** A stored field's name: a prop, data or meta key, an event binding, or a control's binding. */
function wellFormedField(name: string): boolean {
  if (name === 'b:value') return true;
  if (name.startsWith('e:')) return EVENT_NAME_PATTERN.test(name.slice(2));
  return /^[pdm]:[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
PROTOTYPE_NAMES.add('prototype');

/** The components of a stored page as `load(..., 'tree')` answers them, or `null` if gone. */
export async function checkStoredPage(
  store: DemoApp['store'],
  pageId: string,
): Promise<StoredComponent[] | null> {
  const records = await store.load([pageId], 'tree');
  if (records.length === 0) return null;
  const where = `stored page ${pageId}`;
  const root = records[0];
  if (root.id !== pageId || root.type !== 'WebPage' || !root.scope || root.parent !== null)
    throw new Error(`${where}: the first record is not the page: ${truncate(safeJson(root))}`);
  const byId = new Map<string, StoredComponent>();
  for (const r of records) {
    if (byId.has(r.id)) throw new Error(`${where}: component ${r.id} is loaded twice`);
    byId.set(r.id, r);
  }
  for (const r of records) {
    const at = `${where}, component ${r.id}`;
    if (!ID.test(r.id)) throw new Error(`${at}: a malformed id`);
    if (typeof r.type !== 'string' || r.type === '') throw new Error(`${at}: no type`);
    if (!Number.isInteger(r.version) || r.version < 0)
      throw new Error(`${at}: version ${r.version}`);
    if (!Array.isArray(r.children)) throw new Error(`${at}: no child list in a tree load`);
    if (new Set(r.children).size !== r.children.length)
      throw new Error(`${at}: a child listed twice`);
    for (const child of r.children) {
      const c = byId.get(child);
      if (!c) throw new Error(`${at}: child ${child} does not exist`);
      if (!c.scope && c.parent !== r.id)
        throw new Error(`${at}: child ${child} names ${c.parent} as its parent`);
    }
    for (const name of Object.getOwnPropertyNames(r.fields)) {
      const text: unknown = r.fields[name];
      const bare = name.slice(2);
      if (!wellFormedField(name) || PROTOTYPE_NAMES.has(bare))
        throw new Error(`${at}: a stored field named ${JSON.stringify(name)}`);
      if (typeof text !== 'string') throw new Error(`${at}: field ${name} is not JSON text`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error(`${at}: field ${name} holds no JSON: ${truncate(text)}`);
      }
      if (name.startsWith('e:') && !isStoredBinding(value))
        throw new Error(`${at}: event binding ${name} is not a handler name`);
      if (name.startsWith('e:') && !EVENT_NAME_PATTERN.test(bare))
        throw new Error(`${at}: a binding of a malformed event type ${bare}`);
    }
  }
  // every component is reachable from the page, once
  const seen = new Set<string>([pageId]);
  const queue = [pageId];
  while (queue.length > 0) {
    for (const child of byId.get(queue.shift() as string)?.children ?? []) {
      if (seen.has(child)) throw new Error(`${where}: ${child} is reachable twice (a cycle?)`);
      seen.add(child);
      queue.push(child);
    }
  }
  if (seen.size !== records.length) throw new Error(`${where}: unreachable components loaded`);
  return records;
}

/** Checks a page snapshot as the socket and the HTML shell carry it. */
export function checkSnapshot(value: unknown, pageId?: string): PageSnapshot {
  const fail = (why: string): never => {
    throw new Error(`a malformed snapshot (${why}): ${truncate(safeJson(value))}`);
  };
  if (!isRecord(value) || typeof value.pageId !== 'string' || !Array.isArray(value.nodes))
    fail('no pageId or nodes');
  const snapshot = value as unknown as PageSnapshot;
  if (pageId !== undefined && snapshot.pageId !== pageId) fail(`not page ${pageId}`);
  if (!isRecord(snapshot.versions)) fail('no versions');
  const ids = checkClientNodes(snapshot.nodes, fail);
  if (snapshot.nodes[0]?.i !== snapshot.pageId) fail('the first node is not the page');
  for (const [scope, version] of Object.entries(snapshot.versions)) {
    if (!ids.has(scope)) fail(`version of ${scope}, which is not on the page`);
    if (!Number.isInteger(version) || version < 0) fail(`version ${version} of ${scope}`);
  }
  return snapshot;
}

export type { ViewNode };

/**
 * Checks the flat nodes of a snapshot or a `more` answer: each well formed, once, its
 * children among them, `m` a count; returns their ids.
 */
function checkClientNodes(list: unknown[], fail: (why: string) => never): Set<string> {
  const ids = new Set<string>();
  for (const node of list) {
    if (!isRecord(node)) return fail('a node is not an object');
    if (typeof node.i !== 'string' || !ID.test(node.i)) fail('a node without a string i');
    if (typeof node.t !== 'string' || node.t === '') fail(`node ${String(node.i)} has no t`);
    if (!isRecord(node.p)) fail(`node ${String(node.i)} has no object p`);
    if (ids.has(node.i as string)) fail(`node ${String(node.i)} twice`);
    ids.add(node.i as string);
  }
  for (const node of list as PageSnapshot['nodes']) {
    if (node.k !== undefined)
      if (!Array.isArray(node.k) || node.k.some((k) => typeof k !== 'string' || !ids.has(k)))
        fail(`node ${node.i} has a child that is not sent`);
    if (node.m !== undefined && !(Number.isInteger(node.m) && node.m > 0))
      fail(`node ${node.i} leaves out ${String(node.m)} children`);
    if (node.e !== undefined)
      if (
        !Array.isArray(node.e) ||
        node.e.some((e) => typeof e !== 'string' || !EVENT_NAME_PATTERN.test(e))
      )
        fail(`node ${node.i} listens to an unknown event`);
    if (node.v !== undefined && node.v !== 'input' && node.v !== 'change')
      fail(`node ${node.i} has value event ${String(node.v)}`);
    checkControlValue(node.t, node.p, `node ${node.i}`);
  }
  return ids;
}

/** Checks a `more` answer's result `{ nodes, k, m }`. */
function checkMoreReply(ack: Record<string, unknown>, fail: (why: string) => never): void {
  if (!Array.isArray(ack.nodes) || !Array.isArray(ack.k)) return fail('no nodes or k');
  const ids = checkClientNodes(ack.nodes, fail);
  if (ack.k.some((k) => typeof k !== 'string' || !ids.has(k))) fail('a child that is not sent');
  if (!Number.isInteger(ack.m) || (ack.m as number) < 0) fail('m is not a count');
}

/** Checks a REST page view `{ pageId, version, tree }`; returns every node of the tree. */
export function checkPageView(value: unknown, pageId?: string): ViewNode[] {
  const fail = (why: string): never => {
    throw new Error(`a malformed page view (${why}): ${truncate(safeJson(value))}`);
  };
  if (!isRecord(value) || typeof value.pageId !== 'string') return fail('no pageId');
  if (pageId !== undefined && value.pageId !== pageId) fail(`not page ${pageId}`);
  if (!Number.isInteger(value.version) || (value.version as number) < 0) fail('version');
  const nodes = checkViewTrees([value.tree], fail);
  if (nodes[0].id !== value.pageId) fail('the tree is not rooted at the page');
  return nodes;
}

/** Checks a REST children read `{ children, more }`; returns every node of it. */
export function checkChildrenView(value: unknown): ViewNode[] {
  const fail = (why: string): never => {
    throw new Error(`a malformed children read (${why}): ${truncate(safeJson(value))}`);
  };
  if (!isRecord(value) || !Array.isArray(value.children)) return fail('no children');
  if (Object.keys(value).length !== 2) fail('other keys than children and more');
  if (!Number.isInteger(value.more) || (value.more as number) < 0) fail('more is not a count');
  return checkViewTrees(value.children, fail);
}

/** Checks the nested nodes of REST views; returns them all, parents first. */
function checkViewTrees(roots: unknown[], fail: (why: string) => never): ViewNode[] {
  const nodes: ViewNode[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 200) fail('deeper than 200');
    if (!isRecord(node)) return fail('a node is not an object');
    if (typeof node.id !== 'string' || !ID.test(node.id)) fail('a node without an id');
    if (seen.has(node.id as string)) fail(`node ${String(node.id)} twice`);
    seen.add(node.id as string);
    if (typeof node.tag !== 'string' || node.tag === '') fail(`node ${String(node.id)} has no tag`);
    if (!isRecord(node.props)) fail(`node ${String(node.id)} has no props`);
    if (node.events !== undefined)
      if (
        !Array.isArray(node.events) ||
        node.events.some((e) => typeof e !== 'string' || !EVENT_NAME_PATTERN.test(e))
      )
        fail(`node ${String(node.id)} has unknown events`);
    if (
      node.valueEvent !== undefined &&
      node.valueEvent !== 'input' &&
      node.valueEvent !== 'change'
    )
      fail(`node ${String(node.id)} has value event ${String(node.valueEvent)}`);
    checkControlValue(node.tag as string, node.props as Record<string, unknown>, String(node.id));
    if (node.more !== undefined && !(Number.isInteger(node.more) && (node.more as number) > 0))
      fail(`node ${String(node.id)} leaves out ${String(node.more)} children`);
    nodes.push(node as unknown as ViewNode);
    if (node.children !== undefined) {
      if (!Array.isArray(node.children)) fail(`children of ${String(node.id)} is not a list`);
      for (const child of node.children as unknown[]) visit(child, depth + 1);
    }
  };
  for (const root of roots) visit(root, 0);
  return nodes;
}

/** The value of a form control must be one the control can hold. */
function checkControlValue(tag: string, props: Record<string, unknown>, where: string): void {
  const value = props.value;
  if (value === undefined) return;
  const bad = (expected: string): never => {
    throw new Error(`${where} (${tag}) holds ${truncate(safeJson(value))}, not ${expected}`);
  };
  switch (tag) {
    case 'input':
    case 'textarea':
    case 'select':
    case 'q-input':
      if (typeof value !== 'string') bad('text');
      break;
    case 'q-toggle':
      if (typeof value !== 'boolean') bad('true/false');
      break;
    case 'q-slider': {
      const min = typeof props.min === 'number' ? props.min : 0;
      const max = typeof props.max === 'number' ? props.max : 100;
      if (typeof value !== 'number' || value < min || value > max) bad(`${min}..${max}`);
      break;
    }
    case 'q-select': {
      const options = Array.isArray(props.options) ? (props.options as unknown[]) : [];
      const allowed = options.map((o) => (isRecord(o) ? o.value : o));
      const chosen = Array.isArray(value) ? (value as unknown[]) : [value];
      if (Array.isArray(value) !== (props.multiple === true) && value !== null)
        bad(props.multiple === true ? 'a list' : 'one choice');
      if (chosen.some((c) => c !== null && !allowed.includes(c))) bad('one of its options');
      break;
    }
  }
}

/**
 * A fingerprint of everything stored for some pages (every component, field and version):
 * equal before and after a message means the message changed nothing there.
 */
export async function storeFingerprint(
  store: DemoApp['store'],
  pageIds: readonly string[],
): Promise<string> {
  const parts: string[] = [];
  for (const pageId of [...new Set(pageIds)].sort()) {
    const records = await store.load([pageId], 'tree');
    const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    parts.push(
      `${pageId}=${JSON.stringify(
        sorted.map((r) => [
          r.id,
          r.type,
          r.parent,
          r.scope,
          r.version,
          r.children,
          Object.entries(r.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        ]),
      )}`,
    );
  }
  return parts.join('\n');
}

/**
 * The content of a collaborative document as stored (state vector and text), independent of
 * how its log is compacted. Throws if the stored updates do not make a document.
 */
export async function docFingerprint(
  store: DemoApp['store'],
  pageId: string,
  id: string,
): Promise<string> {
  const scope = scopeOfRecord(await store.load([pageId], 'tree'), id);
  const updates = await store.loadDocUpdates(scope, id);
  const doc = new Y.Doc();
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    const sv = Buffer.from(Y.encodeStateVector(doc)).toString('base64');
    return `${sv}|${doc.getText('html').toString()}`;
  } catch (error) {
    throw new Error(
      `the stored document ${id} (${updates.length} updates) does not apply: ${String(error)}`,
    );
  } finally {
    doc.destroy();
  }
}

/** The first differing line of two fingerprints, for a readable failure. */
export function firstDifference(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `before: ${truncate(a[i] ?? '(none)', 600)}\nafter:  ${truncate(b[i] ?? '(none)', 600)}`;
  }
  return '(equal)';
}

// ---------------------------------------------------------------------------------------
// Liveness and the prototypes
// ---------------------------------------------------------------------------------------

/** The server answers `/healthz`, serves a fresh page, and a socket can join it. */
export async function checkServerUp(baseUrl: string): Promise<void> {
  const health = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
  const tab = await Tab.open(baseUrl, '/message-board');
  try {
    checkSnapshot(tab.page.snapshot, tab.pageId);
  } finally {
    tab.close();
  }
}

/**
 * The built-in prototypes a pollution would change, in this realm and in Node's own (Jest
 * runs the server's modules in a VM context, but Node's internals and `structuredClone`
 * make objects of the outer realm).
 */
function builtinPrototypes(): object[] {
  const outerObject = Object.getPrototypeOf(structuredClone({})) as object;
  const outerArray = Object.getPrototypeOf(structuredClone([])) as object;
  return [
    Object.prototype,
    Array.prototype,
    Function.prototype,
    String.prototype,
    Number.prototype,
    Boolean.prototype,
    outerObject,
    outerArray,
  ];
}

/** The own property names of the built-in prototypes. */
export function prototypeFingerprint(): string {
  return builtinPrototypes()
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('\n');
}

/** Throws if a built-in prototype gained or lost a property since `before`. */
export function expectUnpolluted(before: string): void {
  const probes: Record<string, unknown>[] = [{}, structuredClone({})];
  for (const probe of probes)
    for (const name of ['polluted', 'isAdmin', 'shared', 'session', 'ok', 'toJSON', 'then'])
      if (probe[name] !== undefined) throw new Error(`Object.prototype.${name} is set`);
  const after = prototypeFingerprint();
  if (after !== before)
    throw new Error(`a built-in prototype changed:\n${firstDifference(before, after)}`);
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

/**
 * Keys that name members of `Object.prototype` (and `prototype`): a body that has them as
 * own keys tests prototype handling, which {@link hostileKey} bodies do on purpose.
 */
export const PROTOTYPE_KEYS = [...PROTOTYPE_NAMES];

/** Object keys that shadow nothing. */
export const plainKey: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('pageId', 'componentId', 'type', 'value', 'values', 'id', 'versions', 'sv'),
  )
  .filter((k) => !PROTOTYPE_NAMES.has(k));

/** Keys that shadow `Object.prototype` members or reach prototypes. */
export const hostileKey: fc.Arbitrary<string> = fc.constantFrom(...PROTOTYPE_KEYS);

/** Strings that break naive text handling. */
export const weirdString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\uD800',
    '\uDFFF',
    'a\uD800b',
    '\uDC00\uD800',
    '\uFFFE\uFFFF',
    '\u0000',
    '\u2028\u2029',
    '\u202E',
    '🙂',
    '</script><script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    '${process.exit()}',
    '%00%ff',
    '../../etc/passwd',
    'null',
    '[object Object]',
    'x'.repeat(65),
    'x'.repeat(4097),
  ),
  fc.string({ maxLength: 20 }).map((s) => `${s}\uD800`),
);

/** Numbers at the edges (NaN and the infinities travel as `null` in JSON). */
export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    0.5,
    1e308,
    -1e308,
    5e-324,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 53,
    -1,
    11,
  ),
);

/**
 * A long text that travels as a string (`toJSON`) but shows as `Huge(length×unit)` in a
 * fast-check counterexample, so a failure report stays readable.
 */
export class Huge {
  private text?: string;

  constructor(
    readonly length: number,
    readonly unit: string,
  ) {}

  toJSON(): string {
    this.text ??= this.unit.repeat(Math.ceil(this.length / this.unit.length)).slice(0, this.length);
    return this.text;
  }

  [fc.toStringMethod](): string {
    return `Huge(${this.length}×${JSON.stringify(this.unit)})`;
  }
}

/** Texts a few hundred KB long, around the 512 KiB value limit and past the 1 MB frame. */
export const huge: fc.Arbitrary<Huge> = fc
  .tuple(
    fc.constantFrom(256 * 1024, 512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1, 1100 * 1024),
    fc.constantFrom('x', 'é', '\uD800', '😀'),
  )
  .map(([length, unit]) => new Huge(length, unit));

// ---------------------------------------------------------------------------------------
// The message board, flooded
// ---------------------------------------------------------------------------------------

/** How many messages the fuzz server's board keeps (the demo trims back to it every 20). */
const BOARD_MESSAGES = 10;
/** The most message rows the board ever holds: those it keeps and a batch of 20 more. */
const BOARD_ROWS = BOARD_MESSAGES + 20;
/** The costliest message the board takes: `maxLength` characters that JSON writes as 6. */
const COSTLIEST_MESSAGE = '\u0001'.repeat(MESSAGE_MAX_LENGTH);
/**
 * The most bytes one message row adds to a view of the board, REST or HTML: its three
 * components (about 450 bytes) and its text, each character at most 6 bytes there
 * (`\u0001` as JSON).
 */
const ROW_BYTES = 1000 + 6 * MESSAGE_MAX_LENGTH;
/** The longest text a form value may be (the event's own limit, before any control's). */
const FORM_VALUE_CHARS = 512 * 1024;

/**
 * Messages for the board, just under and over its `maxLength` (1,000), the default text
 * limit (`DEFAULT_MAX_TEXT_LENGTH`, 10,000) and the longest form value (512 KiB), in
 * characters that cost more as JSON, in UTF-8 or in HTML.
 */
export const floodText: fc.Arbitrary<Huge> = fc
  .tuple(
    fc.constantFrom(
      MESSAGE_MAX_LENGTH - 1,
      MESSAGE_MAX_LENGTH,
      MESSAGE_MAX_LENGTH + 1,
      DEFAULT_MAX_TEXT_LENGTH,
      DEFAULT_MAX_TEXT_LENGTH + 1,
      FORM_VALUE_CHARS - 1,
      FORM_VALUE_CHARS,
      FORM_VALUE_CHARS + 1,
    ),
    fc.constantFrom('x', 'é', '<', '\u0001'),
  )
  .map(([length, unit]) => new Huge(length, unit));

/**
 * The codes the board refuses a message with when it is sent as it is: none for one it
 * must post; `too-large` past `maxLength`; past the longest form value, `bad-request` (the
 * value) or `too-large` (a REST body past the parser's limit). A socket frame past 1 MB is
 * dropped instead (see {@link MAX_FRAME_BYTES}).
 */
export function floodRefusal(text: Huge): readonly string[] | undefined {
  if (text.length <= MESSAGE_MAX_LENGTH) return undefined;
  return text.length <= FORM_VALUE_CHARS ? ['too-large'] : ['bad-request', 'too-large'];
}

/**
 * Checks the answer to an event sent as it is (`answer`: `null` when it applied, else the
 * error code, or `dropped` for a frame the server closed the connection over): it applies
 * when `refusedWith` is unset, else it is refused with one of those codes (or dropped).
 */
export function expectAnswer(
  refusedWith: readonly string[] | undefined,
  answer: string | null,
  what: () => string,
): void {
  if (!refusedWith && answer !== null)
    throw new Error(`a valid event was refused (${answer}): ${what()}`);
  if (refusedWith && !(answer === 'dropped' || refusedWith.includes(answer ?? 'applied')))
    throw new Error(
      `an event was answered ${answer ?? 'applied'}, not refused with ${refusedWith}: ${what()}`,
    );
}

/** What {@link expectAnswer} takes of a socket message's outcome. */
export function answerOf(outcome: Outcome): string | null {
  if (outcome.kind === 'dropped') return 'dropped';
  const ack = outcome.ack;
  if (isRecord(ack) && ack.ok === true) return null;
  return isRecord(ack) && isRecord(ack.error) ? String(ack.error.code) : 'no answer';
}

/** The size of the board as a new visitor gets it: a REST view, and the HTML page. */
export interface BoardSize {
  restBytes: number;
  htmlBytes: number;
}

/** What a new visitor of the board is sent, and the message texts in it. */
async function boardNow(baseUrl: string): Promise<BoardSize & { texts: string[] }> {
  const view = await restJson(baseUrl, 'POST', '/api/pages', { route: '/message-board' });
  if (view.status !== 201) throw new Error(`opening the board: ${view.status} ${view.text}`);
  const page = await rest(baseUrl, 'GET', '/message-board');
  if (page.status !== 200) throw new Error(`loading the board: ${page.status}`);
  return {
    restBytes: Buffer.byteLength(view.text),
    htmlBytes: Buffer.byteLength(page.text),
    texts: checkPageView(view.json)
      .filter((n) => n.tag === 'pre')
      .map((n) => String(n.props.text)),
  };
}

/** The board's size before a run, for {@link checkBoardBounded}. */
export async function boardSize(baseUrl: string): Promise<BoardSize> {
  const { restBytes, htmlBytes } = await boardNow(baseUrl);
  return { restBytes, htmlBytes };
}

/**
 * Checks that the board stayed as small as its limits make it, whatever was sent: at most
 * {@link BOARD_ROWS} messages of at most `maxLength` characters, and a REST view and an HTML
 * page no larger than `before` and that many rows of the longest message.
 */
async function checkBoardBounded(baseUrl: string, before: BoardSize): Promise<void> {
  const now = await boardNow(baseUrl);
  const longest = Math.max(0, ...now.texts.map((t) => t.length));
  if (now.texts.length > BOARD_ROWS || longest > MESSAGE_MAX_LENGTH)
    throw new Error(
      `the board holds ${now.texts.length} messages (at most ${BOARD_ROWS}), the longest ` +
        `${longest} characters (at most ${MESSAGE_MAX_LENGTH})`,
    );
  const most = BOARD_ROWS * ROW_BYTES;
  for (const [what, bytes, start] of [
    ['REST view', now.restBytes, before.restBytes],
    ['HTML page', now.htmlBytes, before.htmlBytes],
  ] as const)
    if (bytes > start + most)
      throw new Error(`the board's ${what} grew from ${start} to ${bytes} bytes (${most} at most)`);
}

/** Where a message for the board went, as {@link floodBoard} needs it. */
export interface BoardAnswer {
  /** What {@link expectAnswer} takes. */
  answer: string | null;
  /** The message, for a report. */
  what: () => string;
}

/**
 * Floods the board through `send` (a message from one of `senders`): messages around its
 * limits ({@link floodText}), each posted or refused as {@link floodRefusal} says, then more
 * of the costliest messages than it holds; then checks that it stayed bounded.
 */
export async function floodBoard<S>(
  runs: Runs,
  senders: S[],
  send: (sender: S, text: unknown) => Promise<BoardAnswer>,
  params: fc.Parameters<unknown>,
  baseUrl: string,
  before: BoardSize,
): Promise<void> {
  await runs.assert(
    runs.property(floodText, fc.constantFrom(...senders), async (text, sender) => {
      const { answer, what } = await send(sender, text);
      expectAnswer(floodRefusal(text), answer, what);
    }),
    params,
  );
  for (let i = 0; i <= BOARD_ROWS; i++) {
    const { answer, what } = await send(senders[0], COSTLIEST_MESSAGE);
    expectAnswer(undefined, answer, what);
  }
  await checkBoardBounded(baseUrl, before);
}

/** A list of `count` copies of `item` that shows as `Many(count×item)` in a report. */
export class Many {
  constructor(
    readonly count: number,
    readonly item: unknown,
  ) {}

  toJSON(): unknown[] {
    return new Array<unknown>(this.count).fill(this.item);
  }

  [fc.toStringMethod](): string {
    return `Many(${this.count}×${safeJson(this.item)})`;
  }
}

/** Lists just under and over the limits (256 typed values, 1,000 choices). */
export function many(item: fc.Arbitrary<unknown>): fc.Arbitrary<Many> {
  return fc
    .tuple(fc.constantFrom(255, 256, 257, 999, 1000, 1001, 20_000), item)
    .map(([count, value]) => new Many(count, value));
}

/** Scalars of every JSON type and some that are not JSON. */
export const weirdScalar: fc.Arbitrary<unknown> = fc.oneof(
  weirdString,
  edgeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

/** JSON-like values with keys from `key`, up to `maxDepth` levels. */
export function jsonish(key: fc.Arbitrary<string>, maxDepth = 4): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      weirdScalar,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  }));
  return value;
}

/** fast-check's `anything`, with keys that shadow nothing. */
export const plainAnything: fc.Arbitrary<unknown> = fc.anything({
  key: plainKey,
  maxDepth: 4,
  withBoxedValues: true,
  withSparseArray: true,
  withNullPrototype: true,
  withObjectString: true,
  withDate: true,
  withMap: true,
  withSet: true,
  stringUnit: 'binary',
});

/** Text that looks like an id (or nearly). */
export const idLike: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.constantFrom('AAAAAAAAAAAAAAAAAAAAAA', 'x', '', 'a'.repeat(64), 'a'.repeat(65), 'a b', 'ü'),
);

/**
 * JSON text nested `depth` levels deep (arrays or objects), `leaf` inside; built as text so
 * that no recursive encoder in this process has to walk it.
 */
export function nestedJson(depth: number, kind: 'array' | 'object', leaf = '"x"'): string {
  return kind === 'array'
    ? '['.repeat(depth) + leaf + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

/** Nesting depths: the 1,000 of the brief, and deeper ones a 1 MB frame still carries. */
export const nestingDepth: fc.Arbitrary<number> = fc.constantFrom(1000, 3000, 10_000, 100_000);

/** JSON texts whose objects have prototype-shadowing keys, `__proto__` kept as an own key. */
export const hostileJsonText: fc.Arbitrary<string> = fc.letrec<{ text: string }>((tie) => ({
  text: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom('1', '"x"', 'null', 'true', '{}', '[]', '{"polluted":1}', '"polluted"'),
    fc.array(tie('text'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(hostileKey, hostileKey, plainKey), tie('text')), {
        minLength: 1,
        maxLength: 3,
      })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).text;

// ---------------------------------------------------------------------------------------
// Small things
// ---------------------------------------------------------------------------------------

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBase64(value: unknown): boolean {
  return (
    typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0
  );
}

export function safeJson(value: unknown): string {
  try {
    return (
      JSON.stringify(value, (_k, v: unknown) =>
        typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v,
      ) ?? String(value)
    );
  } catch {
    return String(value);
  }
}

export function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

/** What a fuzz run sends, for the failure report (long strings and deep nesting cut). */
export function show(value: unknown): string {
  return truncate(safeJson(value), 500);
}

/**
 * The run budget of a property: fast-check stops at `numRuns` or after `timeMs`, and picks
 * the seed (its failure report prints seed and path). Environment, for local runs:
 * `FUZZ_SCALE=10` runs ten times longer; `FUZZ_SEED` and `FUZZ_PATH` replay a reported
 * failure (select its test with `-t`).
 */
export function budget(numRuns: number, timeMs: number): fc.Parameters<unknown> {
  const scale = Number(process.env.FUZZ_SCALE ?? '1') || 1;
  const seed = process.env.FUZZ_SEED;
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    plugins: [fc.interruptAfterTimeLimit(timeMs * scale)],
    ...(seed ? { seed: Number(seed), path: process.env.FUZZ_PATH } : {}),
  };
}

/**
 * Runs properties so that a hang is not lost: fast-check's time limit ignores the outcome of
 * a run still going when it strikes, so a message that is never answered would pass. Every
 * predicate wrapped by {@link track} records its failure, and {@link assert} / {@link check}
 * wait for the last run and fail on any failure fast-check did not see.
 */
export class Runs {
  private inFlight: Promise<void> = Promise.resolve();
  private failures: string[] = [];

  /** The predicate of a property, remembered while it runs. */
  track<A extends unknown[]>(
    predicate: (...args: A) => Promise<void>,
  ): (...args: A) => Promise<void> {
    return (...args: A) => {
      const run = predicate(...args);
      this.inFlight = run.catch((error: unknown) => {
        this.failures.push(error instanceof Error ? error.message : String(error));
      });
      return run;
    };
  }

  /** `fc.asyncProperty` whose predicate is {@link track}ed. */
  property<Ts extends [unknown, ...unknown[]]>(
    ...args: [
      ...arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
      predicate: (...args: Ts) => Promise<void>,
    ]
  ): fc.IAsyncPropertyWithHooks<Ts> {
    const predicate = args[args.length - 1] as (...a: Ts) => Promise<void>;
    const arbitraries = args.slice(0, -1) as fc.Arbitrary<unknown>[];
    const build = fc.asyncProperty as unknown as (
      ...a: unknown[]
    ) => fc.IAsyncPropertyWithHooks<Ts>;
    return build(...arbitraries, this.track(predicate));
  }

  /** `fc.assert`, then the run the time limit left behind. */
  async assert(
    property: fc.IAsyncProperty<unknown>,
    params: fc.Parameters<unknown>,
  ): Promise<void> {
    await this.begin();
    try {
      await fc.assert(property, params);
    } finally {
      // a failing property returns while its last run may go on: never overlap the next one
      await this.inFlight;
    }
    if (this.failures.length > 0)
      throw new Error(`a run interrupted by the time limit failed:\n${this.failures[0]}`);
  }

  /** {@link failureOf}, then the run the time limit left behind: a report, or `null`. */
  async check(
    property: fc.IAsyncProperty<unknown>,
    params: fc.Parameters<unknown>,
  ): Promise<string | null> {
    await this.begin();
    const failure = await failureOf(property, params);
    await this.inFlight;
    if (failure) return failure;
    return this.failures.length > 0
      ? `a run interrupted by the time limit failed:\n${this.failures[0]}`
      : null;
  }

  private async begin(): Promise<void> {
    await this.inFlight;
    this.failures = [];
  }
}

/**
 * Runs a property without throwing: fast-check's report (seed, path, counterexample and
 * error) if it failed, `null` if it held.
 */
export async function failureOf(
  property: fc.IAsyncProperty<unknown>,
  params: fc.Parameters<unknown>,
): Promise<string | null> {
  const details = await fc.check(property, params);
  if (!details.failed) return null;
  const report = fc.defaultReportMessage(details) ?? 'the property failed';
  const cause = details.errorInstance;
  return `${report}\n  Cause: ${cause instanceof Error ? cause.message : String(cause)}`;
}

/** Makes a snapshot's first node of a kind easy to find. */
export function nodeOf(
  snapshot: PageSnapshot,
  match: (n: PageSnapshot['nodes'][number]) => boolean,
): string {
  const node = snapshot.nodes.find(match);
  if (!node) throw new Error(`no such node on page ${snapshot.pageId}`);
  return node.i;
}

/** A hostile JSON text, built lazily (deep nesting is large) and shown briefly in reports. */
export interface HostilePiece {
  text: string;
  [fc.toStringMethod](): string;
}

function hostilePiece(text: () => string, shown: string): HostilePiece {
  return {
    get text() {
      return text();
    },
    [fc.toStringMethod]: () => shown,
  };
}

/** Hostile JSON texts: prototype keys, random values, deep nesting around one of `leaves`. */
export function hostilePieces(leaves: readonly string[]): fc.Arbitrary<HostilePiece> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileJsonText.map((text) => hostilePiece(() => text, text)) },
    {
      weight: 2,
      arbitrary: fc.anything().map((v) => {
        const text = JSON.stringify(v) ?? 'null';
        return hostilePiece(() => text, show(text));
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          nestingDepth,
          fc.constantFrom<'array' | 'object'>('array', 'object'),
          fc.constantFrom(...leaves),
        )
        .map(([depth, kind, leaf]) =>
          hostilePiece(() => nestedJson(depth, kind, leaf), `nested(${depth} ${kind}s of ${leaf})`),
        ),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Event bodies: field values, valid and not, and mutations of valid bodies
// ---------------------------------------------------------------------------------------------

/** An event (or other message) body as the fuzz suites build it. */
export type Body = Record<string, unknown>;

/** One change to a body: a field set to a value, a field removed, or an unknown field added. */
export type Mutation =
  { field: string; to: unknown } | { field: string; remove: true } | { extra: string; to: unknown };

/** A copy of `body` with the mutations applied in order. */
export function mutate(body: Body, mutations: Mutation[]): Body {
  const out: Body = { ...body };
  for (const m of mutations) {
    if ('extra' in m) out[m.extra] = m.to;
    else if ('remove' in m) delete out[m.field];
    else out[m.field] = m.to;
  }
  return out;
}

/**
 * A mutation of a body: one of `setters` (field → the values it may get), the removal of one
 * of `fields`, or a field the body does not know.
 */
export function bodyMutation(
  setters: Record<string, fc.Arbitrary<unknown>>,
  fields: string[],
): fc.Arbitrary<Mutation> {
  const known = new Set([...fields, ...Object.keys(setters)]);
  return fc.oneof(
    ...Object.entries(setters).map(([field, value]) =>
      value.map((to): Mutation => ({ field, to })),
    ),
    fc.constantFrom(...fields).map((field): Mutation => ({ field, remove: true })),
    fc
      .tuple(
        plainKey.filter((k) => !known.has(k)),
        jsonish(plainKey, 2),
      )
      .map(([extra, to]): Mutation => ({ extra, to })),
  );
}

/** Component ids: mostly ones of the pages under test (`ids`), some malformed. */
export function componentIdValue(ids: string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...ids) },
    { weight: 2, arbitrary: idLike },
    { weight: 1, arbitrary: weirdScalar },
    { weight: 1, arbitrary: jsonish(plainKey, 2) },
  );
}

/** A stored event binding: a handler name, or `{ handler, props }` when it asked for properties. */
function isStoredBinding(value: unknown): boolean {
  if (typeof value === 'string') return true;
  const binding = value as { handler?: unknown; props?: unknown } | null;
  return (
    typeof binding === 'object' &&
    binding !== null &&
    typeof binding.handler === 'string' &&
    Array.isArray(binding.props)
  );
}

/** Event types: known ones, near misses, and other values. */
export const eventTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...EVENT_TYPES) },
  { weight: 1, arbitrary: fc.constantFrom('dblclick', 'Click', 'click ', 'constructor', '') },
  { weight: 1, arbitrary: weirdScalar },
);

/** Values of every kind a control can or cannot hold, some too long or too many. */
export const formValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: weirdString },
  { weight: 2, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom('small', 'medium', 'large', 1, 10, 0, 11, true) },
  { weight: 2, arbitrary: fc.array(fc.oneof(weirdString, edgeNumber), { maxLength: 5 }) },
  { weight: 1, arbitrary: many(fc.constantFrom('small', 1, 's')) },
  { weight: 1, arbitrary: fc.constant(['x'.repeat(4097)]) },
  { weight: 1, arbitrary: jsonish(plainKey, 3) },
  { weight: 1, arbitrary: huge },
);

/** The `values` list an event carries (pending values of other controls), valid and not. */
export function valuesValue(ids: string[]): fc.Arbitrary<unknown> {
  const item = fc.oneof(
    { weight: 4, arbitrary: fc.record({ id: componentIdValue(ids), value: formValue }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(componentIdValue(ids), formValue, plainKey, weirdScalar)
        .map(([id, value, key, extra]) => ({ id, value, [key]: extra })),
    },
    { weight: 1, arbitrary: fc.record({ id: componentIdValue(ids) }) },
    { weight: 1, arbitrary: weirdScalar },
  );
  return fc.oneof(
    { weight: 5, arbitrary: fc.array(item, { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: many(fc.constantFrom(...ids).map((id) => ({ id, value: 'x' }))),
    },
    { weight: 1, arbitrary: weirdScalar },
    { weight: 1, arbitrary: jsonish(plainKey, 2) },
  );
}

/** Event ids: fresh, repeated (retries), and malformed. */
export const eventIdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: idLike },
  { weight: 2, arbitrary: fc.constantFrom('retry-1', 'retry-2', 'retry-3') },
  { weight: 1, arbitrary: weirdScalar },
);

/**
 * The JSON text of `base` with the raw JSON `text` as field `at`, as the whole body
 * (`'(whole body)'`) or as the value of `values[0]` (`'(inside values[0])'`).
 * Built by concatenation: `text` may hold `$&` and other `String.replace` patterns.
 */
export function hostileBodyText(base: Body, at: string, text: string): string {
  if (at === '(whole body)') return text;
  const entries = Object.entries(base)
    .filter(([k]) => k !== at && (at !== '(inside values[0])' || k !== 'values'))
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  if (at === '(inside values[0])') entries.push(`"values":[{"id":"x","value":${text}}]`);
  else entries.push(`${JSON.stringify(at)}:${text}`);
  return `{${entries.join(',')}}`;
}
