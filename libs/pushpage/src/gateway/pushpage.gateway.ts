import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { PushpageError } from '../errors';
import { EventDispatcher, Sequencer } from '../events/event-dispatcher';
import { SOCKET_PATH } from '../options';
import { PageLifecycle } from '../pages/page-lifecycle';
import { SessionService } from '../pages/session.service';
import { Ack, Failure, PageSnapshot } from '../protocol';
import { LoadedSnapshot, loadSnapshot, mayShow } from '../runtime/snapshot';
import { PUSHPAGE_STORE, PushpageStore } from '../store/store';
import { validateJoin } from './join.dto';
import { SocketAdapterService } from './socket-adapter.service';
import { scopeRoom, SocketPublisher } from './socket-publisher';

interface TabData {
  sessionId: string | null;
  pageId?: string;
  sequence: Sequencer;
}

function sequencer(): Sequencer {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(step: () => Promise<T>): Promise<T> => {
    const run = tail.then(step);
    tail = run.catch(() => undefined);
    return run;
  };
}

function failure(error: unknown, logger: Logger): Failure {
  if (error instanceof PushpageError) return { ok: false, error: error.toJSON() };
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return {
    ok: false,
    error: { code: 'unavailable', message: 'the server could not handle this message; try again' },
  };
}

/**
 * The Socket.IO edge: a tab joins its page (and the shared elements on it), sends events
 * with acknowledgements, and receives patches.
 */
@WebSocketGateway({ path: SOCKET_PATH, transports: ['websocket'], serveClient: false })
export class PushpageGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('Pushpage');

  constructor(
    private readonly publisher: SocketPublisher,
    private readonly adapter: SocketAdapterService,
    private readonly dispatcher: EventDispatcher,
    private readonly sessions: SessionService,
    private readonly lifecycle: PageLifecycle,
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
  ) {}

  afterInit(server: Server): void {
    this.adapter.install(server);
    this.publisher.attach(server);
  }

  handleConnection(socket: Socket): void {
    const data: TabData = {
      sessionId: this.sessions.fromCookieHeader(socket.handshake.headers.cookie),
      sequence: sequencer(),
    };
    socket.data = data;
  }

  handleDisconnect(socket: Socket): void {
    const { pageId } = socket.data as TabData;
    if (pageId) this.lifecycle.tabLeft(pageId);
  }

  /** `join { pageId, versions }` → `{ ok, snapshot? }`: a snapshot when the tab is behind. */
  @SubscribeMessage('join')
  async join(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ snapshot?: PageSnapshot }>> {
    try {
      const { pageId, versions = {} } = validateJoin(body);
      const data = socket.data as TabData;
      const { snapshot } = await this.visibleSnapshot(pageId, data);
      if (data.pageId && data.pageId !== pageId) {
        throw new PushpageError('bad-request', 'this socket already shows another page');
      }
      await socket.join(Object.keys(snapshot.versions).map(scopeRoom));
      if (data.pageId !== pageId) this.lifecycle.tabJoined(pageId);
      data.pageId = pageId;
      const upToDate = Object.entries(snapshot.versions).every(([id, v]) => versions[id] === v);
      return upToDate ? { ok: true } : { ok: true, snapshot };
    } catch (error) {
      return failure(error, this.logger);
    }
  }

  /** `event { pageId, componentId, type, value?, key?, values? }` → `{ ok, updated }`. */
  @SubscribeMessage('event')
  async event(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ updated: boolean; duplicate?: boolean }>> {
    const data = socket.data as TabData;
    try {
      if (!data.sessionId)
        throw new PushpageError('forbidden', 'this connection has no session; reload the page');
      const outcome = await this.dispatcher.dispatch(
        body,
        { sessionId: data.sessionId, socketId: socket.id },
        data.sequence,
      );
      return { ok: true, ...outcome };
    } catch (error) {
      return failure(error, this.logger);
    }
  }

  /** `resync { pageId }` → `{ ok, snapshot }`: the whole page, after a gap in versions. */
  @SubscribeMessage('resync')
  async resync(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ snapshot: PageSnapshot }>> {
    try {
      const data = socket.data as TabData;
      const { pageId } = validateJoin(body);
      if (data.pageId !== pageId)
        throw new PushpageError('forbidden', 'join the page before asking for it');
      const { snapshot } = await this.visibleSnapshot(pageId, data);
      await socket.join(Object.keys(snapshot.versions).map(scopeRoom));
      return { ok: true, snapshot };
    } catch (error) {
      return failure(error, this.logger);
    }
  }

  private async visibleSnapshot(pageId: string, data: TabData): Promise<LoadedSnapshot> {
    const loaded = await loadSnapshot(this.store, pageId);
    if (!loaded)
      throw new PushpageError('not-found', `page ${pageId} does not exist (it may have expired)`);
    if (!mayShow(loaded, data.sessionId ?? '')) {
      throw new PushpageError('forbidden', `page ${pageId} belongs to another session`);
    }
    return loaded;
  }
}
