import * as Y from 'yjs';
import { Ack, DocBroadcast, DocMessage, DocReply } from '../types';

/** The name of the text inside every collaborative document (the server uses the same). */
const DOC_TEXT = 'html';
/**
 * At most one edit message this often: fast typing is sent in batches, well inside the
 * server's per-tab message rate.
 */
const MIN_SEND_INTERVAL_MS = 80;
/** After a `rate-limited` answer, wait this long before sending again. */
const RATE_LIMITED_BACKOFF_MS = 1000;

/** Origin of changes typed in this tab; everything else came from the server. */
const LOCAL = Symbol('local');

/** How documents reach the server: the page's socket. */
export interface DocTransport {
  /** Sends a `doc` message; `reply` gets the acknowledgement, or `null` if none came. */
  send(message: DocMessage, reply: (ack: Ack<DocReply> | null) => void): void;
  /** Calls `listener` with every `doc` broadcast of other tabs. */
  onBroadcast(listener: (message: DocBroadcast) => void): void;
  /** Calls `listener` each time the page is joined (at start and after every reconnect). */
  onJoined(listener: () => void): void;
  readonly joined: boolean;
}

/** What a view of the document does around a change from elsewhere (keeping the caret). */
export interface DocView {
  beforeRemote(): void;
  afterRemote(): void;
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/**
 * One collaborative document in this tab: a Yjs document whose text is the editor's HTML.
 * Local edits are kept until the server acknowledges them (it stores them before it does),
 * one batch in flight at a time; after every (re)join the tab sends what is unacknowledged
 * with its state vector and receives what it missed, so nothing is lost either way.
 */
export class SharedDoc {
  readonly doc = new Y.Doc();
  readonly text: Y.Text = this.doc.getText(DOC_TEXT);
  view: DocView | null = null;
  private unacked: Uint8Array[] = [];
  /** The batch being sent, if any; a sync takes over whatever is in flight. */
  private flight: { count: number } | null = null;
  private lastSent = 0;
  private waiting: ReturnType<typeof setTimeout> | undefined;
  private syncing = false;

  constructor(
    readonly componentId: string,
    private readonly pageId: () => string,
    private readonly transport: DocTransport | null,
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== LOCAL) return;
      this.unacked.push(update);
      this.flush();
    });
  }

  /** Whether edits can reach the server (the page has a socket). */
  get editable(): boolean {
    return this.transport !== null;
  }

  /** Updates typed here and not yet stored by the server. */
  get pending(): number {
    return this.unacked.length;
  }

  /** The document's HTML. */
  toString(): string {
    return this.text.toString();
  }

  /** The user changed the HTML to `next`: record the difference as one edit. */
  edit(next: string): void {
    const before = this.text.toString();
    if (before === next) return;
    let start = 0;
    const limit = Math.min(before.length, next.length);
    while (start < limit && before[start] === next[start]) start++;
    let end = 0;
    while (end < limit - start && before[before.length - 1 - end] === next[next.length - 1 - end])
      end++;
    this.doc.transact(() => {
      const removed = before.length - start - end;
      if (removed > 0) this.text.delete(start, removed);
      const inserted = next.slice(start, next.length - end);
      if (inserted) this.text.insert(start, inserted);
    }, LOCAL);
  }

  /** Applies a change from elsewhere (a snapshot's document, another tab, a sync reply). */
  receive(update: Uint8Array): void {
    this.view?.beforeRemote();
    Y.applyUpdate(this.doc, update, 'remote');
    this.view?.afterRemote();
  }

  /** Sends what is unacknowledged and asks for what this tab lacks (after each join). */
  sync(): void {
    if (!this.transport || this.syncing) return;
    this.syncing = true;
    this.flight = null;
    const batch = this.unacked.length;
    const message: DocMessage = {
      pageId: this.pageId(),
      componentId: this.componentId,
      sv: toBase64(Y.encodeStateVector(this.doc)),
    };
    if (batch > 0) message.update = toBase64(Y.mergeUpdates(this.unacked));
    this.transport.send(message, (ack) => {
      this.syncing = false;
      if (ack?.ok) {
        this.unacked.splice(0, batch);
        if (ack.update) this.receive(fromBase64(ack.update));
      }
      this.flush();
    });
  }

  private flush(): void {
    const transport = this.transport;
    if (!transport || !transport.joined || this.syncing || this.flight) return;
    if (this.unacked.length === 0 || this.waiting) return;
    const wait = this.lastSent + MIN_SEND_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.later(wait);
      return;
    }
    this.lastSent = Date.now();
    const flight = { count: this.unacked.length };
    this.flight = flight;
    const batch = flight.count === 1 ? this.unacked[0] : Y.mergeUpdates(this.unacked);
    const message = { pageId: this.pageId(), componentId: this.componentId };
    transport.send({ ...message, update: toBase64(batch) }, (ack) => {
      if (this.flight !== flight) return; // a sync took over meanwhile
      this.flight = null;
      if (ack?.ok) this.unacked.splice(0, flight.count);
      else if (ack === null) return; // no answer: the next join's sync sends it again
      if (ack && !ack.ok && ack.error.code === 'rate-limited') this.later(RATE_LIMITED_BACKOFF_MS);
      // the document is full: the edits go again with the next one (a deletion may make
      // them fit), not in a loop
      else if (ack.ok || ack.error.code !== 'too-large') this.flush();
    });
  }

  private later(ms: number): void {
    this.waiting ??= setTimeout(() => {
      this.waiting = undefined;
      this.flush();
    }, ms);
  }
}

/** Every collaborative document of the page, fed by the socket's broadcasts. */
export class DocRegistry {
  private readonly docs = new Map<string, SharedDoc>();

  constructor(
    private readonly pageId: () => string,
    private readonly transport: DocTransport | null,
  ) {
    transport?.onBroadcast((message) => {
      const doc = this.docs.get(message.c);
      if (doc && typeof message.u === 'string') doc.receive(fromBase64(message.u));
    });
    transport?.onJoined(() => {
      for (const doc of this.docs.values()) doc.sync();
    });
  }

  /** The document of a component, made on first use from the snapshot's state. */
  open(componentId: string, state: string | undefined): SharedDoc {
    let doc = this.docs.get(componentId);
    if (!doc) {
      doc = new SharedDoc(componentId, this.pageId, this.transport);
      this.docs.set(componentId, doc);
      if (state) doc.receive(fromBase64(state));
      if (this.transport?.joined) doc.sync();
    } else if (state) {
      doc.receive(fromBase64(state));
    }
    return doc;
  }

  /** All documents, for tests and the console. */
  get all(): ReadonlyMap<string, SharedDoc> {
    return this.docs;
  }
}
