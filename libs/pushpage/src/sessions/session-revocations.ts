import { Injectable, Logger } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import { PushpageError, sessionEnded } from '../errors';
import { SessionService } from './session.service';

/** The server-side event that tells the other replicas a session was revoked. */
export const SESSION_REVOKED_EVENT = 'pushpage:session-revoked';

/** What the gateway keeps on a socket that revocations read and mark. */
export interface SessionSocketData {
  sessionId: string | null;
  /** Set when the socket's session is refused: every later message gets this error. */
  refusal?: PushpageError;
}

/**
 * Closes the sockets of revoked sessions on every replica: a replica that revokes a session
 * closes its own sockets of it and tells the others through the Socket.IO adapter
 * (`serverSideEmit`), which mark the session revoked and close theirs before they answer.
 */
@Injectable()
export class SessionRevocations {
  private readonly logger = new Logger('Pushpage');

  constructor(private readonly sessions: SessionService) {}

  /** Called by the gateway once its namespace exists; `withPeers` with a Redis adapter. */
  attach(namespace: Namespace, withPeers: boolean): void {
    this.sessions.onRevoked((sessionId, here) =>
      this.revoked(namespace, sessionId, here && withPeers),
    );
    if (!withPeers) return;
    namespace.on(SESSION_REVOKED_EVENT, (sessionId: unknown, answer?: (ok: true) => void) => {
      if (typeof sessionId === 'string') this.sessions.learnRevoked(sessionId);
      answer?.(true);
    });
  }

  private async revoked(namespace: Namespace, sessionId: string, tell: boolean): Promise<void> {
    closeSessionSockets([...namespace.sockets.values()], sessionId);
    if (!tell) return;
    try {
      // resolves once every other replica has closed its sockets of the session
      await namespace.serverSideEmitWithAck(SESSION_REVOKED_EVENT, sessionId);
    } catch (error) {
      this.logger.warn(
        `a revoked session was not confirmed by every replica (${error instanceof Error ? error.message : String(error)}): ` +
          'the others learn of it from the store within 30 s',
      );
    }
  }
}

/** Marks this replica's sockets of a session refused and closes them. */
export function closeSessionSockets(sockets: Iterable<Socket>, sessionId: string): number {
  let closed = 0;
  for (const socket of sockets) {
    const data = socket.data as SessionSocketData | undefined;
    if (data?.sessionId !== sessionId) continue;
    data.refusal = sessionEnded('revoked');
    socket.disconnect(true);
    closed += 1;
  }
  return closed;
}
