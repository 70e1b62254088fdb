import type { Socket } from 'socket.io-client';
import { PageTree } from './tree';
import type { DocTransport } from './quasar/shared-doc';
import {
  Ack,
  DocBroadcast,
  DocMessage,
  DocReply,
  OutgoingEvent,
  Failure,
  MoreReply,
  PageSnapshot,
  ScopePatch,
} from './types';
import { newEventId } from './events';
import { tabId } from './tab-id';
import type { RefusalHooks } from './recovery';
import { retryable, retryWait } from './retry';

const GAP_WAIT_MS = 300;
/** Enough to outlast a replica that died holding an event (it is released after 6 s). */
const MAX_ATTEMPTS = 30;
const DOC_ACK_TIMEOUT_MS = 10_000;
const MORE_ACK_TIMEOUT_MS = 10_000;
/** Tabs asked to join again spread their joins over this long. */
const REJOIN_SPREAD_MS = 2000;

/** What the connection tells the page around it. */
export interface ConnectionHooks extends RefusalHooks {
  /** The socket is up and the page joined, or the socket went down. */
  connected(up: boolean): void;
  /** An event got its final answer (after any retries). */
  answered?(event: OutgoingEvent, ack: Ack<{ updated: boolean }>): void;
}

/**
 * The tab's socket: joins the page, applies patches in version order, catches up with a
 * whole page after a gap or a reconnect (Socket.IO reconnects with backoff by itself).
 * Every event carries an id and stays pending until acknowledged; after a reconnect the
 * pending ones are sent again, and the server applies each id once.
 */
export class Connection {
  private readonly early = new Map<string, Map<number, ScopePatch>>();
  private readonly pending = new Map<string, OutgoingEvent>();
  private readonly attempts = new Map<string, number>();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private resyncing = false;
  private joined = false;
  /** A join is on its way: patches wait for its answer (which may be an older snapshot). */
  private joining = false;
  private resyncWhenJoined = false;
  private readonly joinListeners: (() => void)[] = [];

  constructor(
    private readonly tree: PageTree,
    private readonly socket: Socket,
    private readonly hooks: ConnectionHooks,
  ) {
    socket.on('connect', () => this.join());
    socket.on('disconnect', (reason) => {
      this.joined = false;
      this.joining = false;
      // the next join answers with the whole page if anything was missed meanwhile
      if (this.gapTimer) clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
      this.early.clear();
      hooks.connected(false);
      // Socket.IO reconnects by itself except when the server closed the socket (a replica
      // shutting down): then this tab reconnects, and the load balancer picks a replica.
      if (reason === 'io server disconnect')
        setTimeout(() => socket.connect(), 500 + Math.random() * 1000);
    });
    socket.on('patch', (patch: ScopePatch) => this.receive(patch));
    // the server's store was away: join again (spread out, as every tab is asked at once)
    socket.on('rejoin', () => {
      setTimeout(() => {
        if (this.socket.connected) this.join();
      }, Math.random() * REJOIN_SPREAD_MS);
    });
  }

  /** The socket's id while it is connected: uploads name it, so the handler's actions reach it. */
  get socketId(): string | undefined {
    return this.socket.connected ? this.socket.id : undefined;
  }

  /** Events sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.pending.size;
  }

  /** Sends an event now if the page is joined, else as soon as it is. */
  send(event: OutgoingEvent): void {
    const withId = { ...event, eventId: event.eventId ?? newEventId() };
    this.pending.set(withId.eventId, withId);
    if (this.joined) this.emit(withId);
  }

  /**
   * The children of a component from index `from` on (`more`); `null` when the page is not
   * joined (the tab shows it is offline) or the answer is a refusal (shown, as any).
   */
  children(componentId: string, from: number): Promise<MoreReply | null> {
    if (!this.joined) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.socket
        .timeout(MORE_ACK_TIMEOUT_MS)
        .emit(
          'more',
          { pageId: this.tree.pageId, componentId, from },
          (error: Error | null, ack: Ack<MoreReply>) => {
            if (error) this.hooks.error('The server did not answer; try again.');
            else if (!ack.ok) this.refused(ack);
            resolve(error || !ack.ok ? null : { nodes: ack.nodes, k: ack.k, m: ack.m });
          },
        );
    });
  }

  /** The socket as the collaborative documents use it. */
  docTransport(): DocTransport {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const connection = this;
    return {
      send: (message: DocMessage, reply: (ack: Ack<DocReply> | null) => void) => {
        this.socket
          .timeout(DOC_ACK_TIMEOUT_MS)
          .emit('doc', message, (error: Error | null, ack: Ack<DocReply>) => {
            if (error) return reply(null);
            // a rate-limited edit is sent again later, in a bigger batch: nothing to tell
            if (!ack.ok && ack.error.code !== 'rate-limited') this.refused(ack);
            reply(ack);
          });
      },
      onBroadcast: (listener: (message: DocBroadcast) => void) => {
        this.socket.on('doc', listener);
      },
      onJoined: (listener: () => void) => {
        this.joinListeners.push(listener);
      },
      get joined() {
        return connection.joined;
      },
    };
  }

  private emit(event: OutgoingEvent & { eventId: string }): void {
    this.socket.emit('event', event, (ack: Ack<{ updated: boolean }>) => {
      const attempts = (this.attempts.get(event.eventId) ?? 0) + 1;
      if (!ack.ok && retryable(ack.error.code) && attempts < MAX_ATTEMPTS) {
        // a server shutting down, or another replica still holding the event: ask again
        this.attempts.set(event.eventId, attempts);
        setTimeout(() => {
          if (this.joined && this.pending.has(event.eventId)) this.emit(event);
        }, retryWait());
        return;
      }
      this.pending.delete(event.eventId);
      this.attempts.delete(event.eventId);
      this.hooks.answered?.(event, ack);
      if (!ack.ok) this.refused(ack);
    });
  }

  private join(): void {
    const versions = Object.fromEntries(this.tree.versions);
    this.joining = true;
    this.socket.emit(
      'join',
      { pageId: this.tree.pageId, versions, tabId: tabId() },
      (ack: Ack<{ snapshot?: PageSnapshot; patches?: ScopePatch[] }>) => {
        this.joining = false;
        if (!ack.ok && mayAskAgain(ack.error.code)) {
          // the server cannot reach its store, or is pacing this tab: ask again, offline
          setTimeout(() => {
            if (this.socket.connected && !this.joined) this.join();
          }, retryWait());
          return;
        }
        if (!ack.ok) return this.refused(ack);
        this.joined = true;
        this.hooks.connected(true);
        if (ack.snapshot) this.reset(ack.snapshot);
        // what the tab missed meanwhile, in version order, then what came during the join
        for (const patch of ack.patches ?? []) this.receive(patch);
        this.drainHeld();
        if (!ack.snapshot && this.resyncWhenJoined) this.resync();
        this.resyncWhenJoined = false;
        for (const listener of this.joinListeners) listener();
        for (const event of this.pending.values())
          this.emit(event as OutgoingEvent & { eventId: string });
      },
    );
  }

  /** A refusal: of the whole page (the tab recovers), or of one message (the user is told). */
  private refused({ error }: Failure): void {
    if (error.reason) this.hooks.unusable(error.reason, error.message);
    else this.hooks.error(error.message);
  }

  private receive(patch: ScopePatch): void {
    if (this.resyncing || this.joining) {
      this.hold(patch);
      return;
    }
    const verdict = this.tree.check(patch);
    if (verdict === 'stale') return;
    if (verdict === 'unknown') return this.resync();
    if (verdict === 'gap') {
      this.hold(patch);
      this.gapTimer ??= setTimeout(() => this.resync(), GAP_WAIT_MS);
      return;
    }
    if (!this.tree.apply(patch, this.socket.id)) return this.resync();
    this.drain(patch.s);
  }

  private hold(patch: ScopePatch): void {
    let held = this.early.get(patch.s);
    if (!held) this.early.set(patch.s, (held = new Map()));
    held.set(patch.v, patch);
  }

  /** Applies held patches that have become the next ones. */
  private drain(scope: string): void {
    const held = this.early.get(scope);
    for (;;) {
      const next = held?.get((this.tree.versions.get(scope) ?? -1) + 1);
      if (!next || !held) break;
      held.delete(next.v);
      if (!this.tree.apply(next, this.socket.id)) return this.resync();
    }
    if (held && [...held.keys()].every((v) => v <= (this.tree.versions.get(scope) ?? 0))) {
      this.early.delete(scope);
    }
    if (this.early.size === 0 && this.gapTimer) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    }
  }

  private resync(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    if (this.resyncing) return;
    if (!this.joined) {
      // a patch that came between the socket's join and its answer: ask once joined
      this.resyncWhenJoined = true;
      return;
    }
    this.resyncing = true;
    this.socket.emit(
      'resync',
      { pageId: this.tree.pageId },
      (ack: Ack<{ snapshot: PageSnapshot }>) => {
        this.resyncing = false;
        if (!ack.ok && mayAskAgain(ack.error.code)) {
          setTimeout(() => this.resync(), retryWait());
          return;
        }
        if (!ack.ok) return this.refused(ack);
        this.reset(ack.snapshot);
      },
    );
  }

  /** Applies the held patches that follow on; a gap left asks for the page shortly. */
  private drainHeld(): void {
    for (const scope of [...this.early.keys()]) {
      const held = this.early.get(scope);
      for (const v of [...(held?.keys() ?? [])])
        if (v <= (this.tree.versions.get(scope) ?? 0)) held?.delete(v);
      this.drain(scope);
    }
    if ([...this.early.values()].some((held) => held.size > 0))
      this.gapTimer ??= setTimeout(() => this.resync(), GAP_WAIT_MS);
  }

  private reset(snapshot: PageSnapshot): void {
    this.tree.load(snapshot);
    for (const scope of [...this.early.keys()]) {
      const held = this.early.get(scope);
      if (!held) continue;
      for (const v of [...held.keys()])
        if (v <= (this.tree.versions.get(scope) ?? 0)) held.delete(v);
      this.drain(scope);
    }
  }
}

/** A join or resync refused for now (a store out of reach, a tab paced): asked again later. */
function mayAskAgain(code: string): boolean {
  return retryable(code) || code === 'rate-limited';
}
