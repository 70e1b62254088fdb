import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import { TabPresence } from '../pages/page-lifecycle';
import { DocBroadcast } from '../protocol';
import { Publisher, ScopeJoin, ScopePatch } from '../runtime/patch';

/** The room of a scope (a page or a shared element). */
export function scopeRoom(scopeId: string): string {
  return `s:${scopeId}`;
}

/**
 * Pushes patches to the rooms of their scopes. With the Redis adapter an emit reaches
 * the room's tabs on every replica.
 */
@Injectable()
export class SocketPublisher implements Publisher, TabPresence {
  private server: Server | null = null;

  /** Called by the gateway once the Socket.IO server exists. */
  attach(server: Server): void {
    this.server = server;
  }

  publish(patches: ScopePatch[], joins: ScopeJoin[]): void {
    const server = this.server;
    if (!server) return;
    for (const join of joins) server.in(scopeRoom(join.scope)).socketsJoin(scopeRoom(join.joins));
    for (const patch of patches) server.to(scopeRoom(patch.s)).emit('patch', patch);
  }

  /** Sends a change of a collaborative document to the tabs of its scope (but `except`). */
  publishDoc(scope: string, message: DocBroadcast, except?: string): void {
    const room = this.server?.to(scopeRoom(scope));
    if (!room) return;
    (except ? room.except(except) : room).emit('doc', message);
  }

  async countTabs(pageId: string): Promise<number> {
    if (!this.server) return 0;
    const sockets = await this.server.in(scopeRoom(pageId)).fetchSockets();
    return sockets.length;
  }
}
