import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { TabPresence } from '../../engine/page-lifecycle';
import { DocBroadcast } from '../../protocol';
import { DocumentPublisher, Publisher, ScopeJoin, ScopePatch } from '../../engine/patch';

/** The room of a scope (a page or a shared element). */
export function scopeRoom(scopeId: string): string {
  return `s:${scopeId}`;
}

/**
 * Pushes patches to the rooms of their scopes. With the Redis adapter an emit reaches
 * the room's tabs on every replica.
 */
@Injectable()
export class SocketPublisher implements Publisher, DocumentPublisher, TabPresence {
  private namespace: Namespace | null = null;

  /** Called by the gateway once its Socket.IO namespace exists. */
  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  publish(patches: ScopePatch[], joins: ScopeJoin[]): void {
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

  async countTabs(pageId: string): Promise<number> {
    if (!this.namespace) return 0;
    const sockets = await this.namespace.in(scopeRoom(pageId)).fetchSockets();
    return sockets.length;
  }
}
