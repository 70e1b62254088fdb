import { io, Socket } from 'socket.io-client';
import { showError, status } from './status';
import { PageTree } from './tree';
import { Ack, OutgoingEvent, PageSnapshot, ScopePatch } from './types';

const GAP_WAIT_MS = 300;

/**
 * The tab's socket: joins the page, applies patches in version order, catches up with a
 * whole page after a gap or a reconnect. Socket.IO reconnects with backoff by itself.
 */
export class Connection {
  private readonly socket: Socket;
  private readonly early = new Map<string, Map<number, ScopePatch>>();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private resyncing = false;

  constructor(
    private readonly tree: PageTree,
    socketPath: string,
  ) {
    this.socket = io({
      path: socketPath,
      transports: ['websocket'],
      reconnectionDelay: 300,
      reconnectionDelayMax: 5000,
    });
    this.socket.on('connect', () => this.join());
    this.socket.on('disconnect', (reason) => {
      status.connected = false;
      // Socket.IO reconnects by itself except when the server closed the socket (a replica
      // shutting down): then this tab reconnects, and the load balancer picks a replica.
      if (reason === 'io server disconnect')
        setTimeout(() => this.socket.connect(), 500 + Math.random() * 1000);
    });
    this.socket.on('patch', (patch: ScopePatch) => this.receive(patch));
  }

  /** Sends an event; the acknowledgement reports errors to the user. */
  send(event: OutgoingEvent): void {
    this.socket.emit('event', event, (ack: Ack<{ updated: boolean }>) => {
      if (!ack.ok) showError(ack.error.message);
    });
  }

  private join(): void {
    const versions = Object.fromEntries(this.tree.versions);
    this.socket.emit(
      'join',
      { pageId: this.tree.pageId, versions },
      (ack: Ack<{ snapshot?: PageSnapshot }>) => {
        if (!ack.ok) {
          if (ack.error.code === 'not-found') {
            showError('This page has expired; loading it again…');
            setTimeout(() => location.reload(), 1000);
          } else showError(ack.error.message);
          return;
        }
        status.connected = true;
        status.everConnected = true;
        if (ack.snapshot) this.reset(ack.snapshot);
      },
    );
  }

  private receive(patch: ScopePatch): void {
    if (this.resyncing) {
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
    if (this.resyncing) return;
    this.resyncing = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.socket.emit(
      'resync',
      { pageId: this.tree.pageId },
      (ack: Ack<{ snapshot: PageSnapshot }>) => {
        this.resyncing = false;
        if (!ack.ok) return showError(ack.error.message);
        this.reset(ack.snapshot);
      },
    );
  }

  private reset(snapshot: PageSnapshot): void {
    this.tree.load(snapshot);
    const scopes = [...this.early.keys()];
    for (const scope of scopes) {
      const held = this.early.get(scope);
      if (!held) continue;
      for (const v of [...held.keys()])
        if (v <= (this.tree.versions.get(scope) ?? 0)) held.delete(v);
      this.drain(scope);
    }
  }
}
