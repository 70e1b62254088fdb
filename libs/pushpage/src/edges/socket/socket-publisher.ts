import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { TabPresence } from '../../engine/page-lifecycle';
import { ClientAction, ClientAnswer, ClientQuestion, DocBroadcast } from '../../protocol';
import { DocumentPublisher, Publisher, ScopeJoin, ScopePatch } from '../../engine/patch';
import { TabChannel } from '../../engine/tab-channel';
import { answerOf } from './client-answer';
import type { TabData } from './tab';

/** The room of a scope (a page or a shared element). */
export function scopeRoom(scopeId: string): string {
  return `s:${scopeId}`;
}

/**
 * Pushes patches and client actions to the rooms of their scopes (a tab's own socket id is
 * a room too). With the Redis adapter an emit reaches the room's tabs on every replica.
 */
@Injectable()
export class SocketPublisher implements Publisher, DocumentPublisher, TabPresence, TabChannel {
  private namespace: Namespace | null = null;

  /** Called by the gateway once its Socket.IO namespace exists. */
  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  private readonly watchers: ((patch: ScopePatch) => void)[] = [];

  /** Calls `watcher` with every patch this replica publishes, as it publishes it. */
  watch(watcher: (patch: ScopePatch) => void): void {
    this.watchers.push(watcher);
  }

  publish(patches: ScopePatch[], joins: ScopeJoin[]): void {
    for (const patch of patches) for (const watcher of this.watchers) watcher(patch);
    const namespace = this.namespace;
    if (!namespace) return;
    for (const join of joins)
      namespace.in(scopeRoom(join.scope)).socketsJoin(scopeRoom(join.joins));
    for (const patch of patches) namespace.to(scopeRoom(patch.s)).emit('patch', patch);
  }

  /** Sends a change of a collaborative document to the tabs of its scope (but `except`). */
  publishDoc(scope: string, message: DocBroadcast, except?: string): void {
    const room = this.namespace?.to(scopeRoom(scope));
    if (!room) return;
    (except ? room.except(except) : room).emit('doc', message);
  }

  toPage(pageId: string, actions: ClientAction[]): void {
    this.namespace?.to(scopeRoom(pageId)).emit('actions', actions);
  }

  toTab(tabId: string, actions: ClientAction[]): void {
    this.namespace?.to(tabId).emit('actions', actions);
  }

  /** Asks a tab connected to this replica (the one whose event is being handled here). */
  async ask(tabId: string, question: ClientQuestion, timeoutMs: number): Promise<ClientAnswer> {
    const socket = this.namespace?.sockets.get(tabId);
    if (!socket) {
      return {
        ok: false,
        error: { code: 'unreachable', message: 'the tab is no longer connected to this server' },
      };
    }
    return answerOf(await socket.timeout(timeoutMs).emitWithAck('ask', question));
  }

  async showsPage(socketId: string, pageId: string, sessionId: string): Promise<boolean> {
    const namespace = this.namespace;
    if (!namespace) return false;
    const local = namespace.sockets.get(socketId);
    // the Redis adapter asks every replica (a socket's id is also the room it alone is in)
    const sockets = local
      ? [local]
      : await namespace
          .in(socketId)
          .fetchSockets()
          .catch(() => []);
    return sockets.some((socket) => {
      const tab = socket.data as Partial<TabData> | undefined;
      return tab?.pageId === pageId && tab.sessionId === sessionId;
    });
  }

  async countTabs(pageId: string): Promise<number> {
    if (!this.namespace) return 0;
    const sockets = await this.namespace.in(scopeRoom(pageId)).fetchSockets();
    return sockets.length;
  }
}
