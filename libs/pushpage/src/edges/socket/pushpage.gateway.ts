import { Inject, Injectable, Logger, UseFilters, UseGuards } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  GatewayMetadata,
  SubscribeMessage,
} from '@nestjs/websockets';
import type { Namespace, Server, Socket } from 'socket.io';
import { PushpageError, sessionEnded, sessionUnknown } from '../../errors';
import { CatchUpTab, JoinReply, TabCatchUp } from '../../engine/catch-up';
import { EventDispatcher } from '../../engine/event-dispatcher';
import { sequencer } from '../../engine/sequencer';
import { PageLifecycle } from '../../engine/page-lifecycle';
import { PageTimersService } from '../../engine/page-timers.service';
import { SessionService } from '../../sessions/session.service';
import { SessionRevocations } from '../../sessions/session-revocations';
import { DocumentTab, TabDocuments } from '../../collab/tab-documents';
import { BroadcastProbe } from '../../ops/broadcast-probe.service';
import { PushpageMetrics } from '../../ops/metrics.service';
import { traceEvent } from '../../ops/tracing';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, SOCKET_PATH } from '../../options';
import { Ack, DocReply, MoreReply, PageSnapshot } from '../../protocol';
import { PUSHPAGE_STORE, PushpageStore } from '../../store/store';
import { validateDoc } from './doc.dto';
import { validateJoin } from './join.dto';
import { validateMore } from './more.dto';
import { SocketAdapterService } from './socket-adapter.service';
import { SocketExceptionFilter } from './socket-exception.filter';
import { RateLimits } from '../rate-limits';
import { SocketRateGuard, takeWholePage } from './socket-rate.guard';
import { TabData, tabOf } from './tab';
import { scopeRoom, SocketPublisher } from './socket-publisher';

/** The gateway's Socket.IO server settings; the namespace comes from the module's routes. */
export const GATEWAY_OPTIONS: GatewayMetadata = {
  path: SOCKET_PATH,
  transports: ['websocket'],
  serveClient: false,
};

/**
 * The Socket.IO edge: a tab joins its page (and the shared elements on it), sends events
 * with acknowledgements, and receives patches. Each message is checked against the tab's rate
 * ({@link SocketRateGuard}) and validated, then handed to the engine; what it returns is the
 * acknowledgement, what it throws {@link SocketExceptionFilter} answers. The module registers
 * a subclass on its namespace (see module-definition.ts).
 */
@Injectable()
@UseFilters(SocketExceptionFilter)
@UseGuards(SocketRateGuard)
export class PushpageGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('Pushpage');

  constructor(
    private readonly publisher: SocketPublisher,
    private readonly adapter: SocketAdapterService,
    private readonly dispatcher: EventDispatcher,
    private readonly sessions: SessionService,
    private readonly lifecycle: PageLifecycle,
    private readonly catchUp: TabCatchUp,
    private readonly documents: TabDocuments,
    private readonly metrics: PushpageMetrics,
    private readonly probe: BroadcastProbe,
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    @Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions,
    private readonly revocations: SessionRevocations,
    private readonly timers: PageTimersService,
    private readonly rateLimits: RateLimits,
  ) {}

  /** Nest passes the server for the main namespace, the namespace for any other. */
  afterInit(serverOrNamespace: Server | Namespace): void {
    const server = 'engine' in serverOrNamespace ? serverOrNamespace : serverOrNamespace.server;
    const namespace = 'engine' in serverOrNamespace ? serverOrNamespace.sockets : serverOrNamespace;
    this.adapter.install(server);
    this.publisher.attach(namespace);
    this.publisher.watch((patch) => this.timers.armPatch(patch));
    // broadcasts were lost while the store was away, and its data may be gone with it:
    // this replica's tabs join again, catching up or learning that their page is gone
    this.store.onReconnect(() => {
      this.logger.log('store: connection back; asking this replica’s tabs to join again');
      namespace.local.emit('rejoin');
    });
    this.metrics.observeTabs(
      () => server.engine.clientsCount,
      () => this.lifecycle.livePages,
    );
    this.probe.start(namespace, this.adapter.state() !== 'none');
    this.revocations.attach(namespace, this.adapter.state() !== 'none');
  }

  handleConnection(socket: Socket): void {
    // a refused cookie (two of them, too old) is told at the join and every message
    const cookie = this.sessions.cookieSession(socket.handshake.headers.cookie);
    const data: TabData = {
      sessionId: cookie.state === 'valid' ? cookie.id : null,
      issuedAt: cookie.state === 'valid' ? cookie.issuedAt : 0,
      refusal: cookie.state === 'refused' ? sessionEnded(cookie.why) : undefined,
      sequence: sequencer(),
      docs: new Map(),
    };
    socket.data = data;
  }

  handleDisconnect(socket: Socket): void {
    const { pageId } = tabOf(socket);
    if (pageId) this.lifecycle.tabLeft(pageId);
  }

  /** `join { pageId, versions, tabId? }` → `{ ok, patches? | snapshot? }`: what a tab that is behind lacks. */
  @SubscribeMessage('join')
  async join(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<JoinReply>> {
    const { pageId, versions = {}, tabId } = validateJoin(body);
    await this.checkSession(tabOf(socket), true);
    if (tabId !== undefined) tabOf(socket).tabId = tabId;
    return { ok: true, ...(await this.catchUp.join(this.tab(socket), pageId, versions)) };
  }

  /** `event { pageId, componentId, type, value?, key?, values? }` → `{ ok, updated }`. */
  @SubscribeMessage('event')
  async event(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ updated: boolean; duplicate?: boolean }>> {
    return traceEvent('socket', body, async () => {
      const data = tabOf(socket);
      if (data.refusal) throw data.refusal;
      if (!data.sessionId) throw sessionUnknown();
      await this.checkSession(data);
      const outcome = await this.dispatcher.dispatch(
        body,
        {
          sessionId: data.sessionId,
          socketId: socket.id,
          sessionIssuedAt: data.issuedAt,
          tabId: data.tabId,
        },
        data.sequence,
      );
      return { ok: true, ...outcome };
    });
  }

  /** `resync { pageId }` → `{ ok, snapshot }`: the whole page, after a gap in versions. */
  @SubscribeMessage('resync')
  async resync(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ snapshot: PageSnapshot }>> {
    await this.checkSession(tabOf(socket));
    const { pageId } = validateJoin(body);
    return { ok: true, snapshot: await this.catchUp.resync(this.tab(socket), pageId) };
  }

  /**
   * `more { pageId, componentId, from }` → `{ ok, nodes, k, m }`: the children of a component
   * of the joined page from `from` on, which its snapshot left out (`snapshotWindow` at a
   * time). Counts against the tab's whole pages, as a resync does: the page is read whole.
   */
  @SubscribeMessage('more')
  async more(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<MoreReply>> {
    await this.checkSession(tabOf(socket));
    const request = validateMore(body);
    return { ok: true, ...(await this.catchUp.more(this.tab(socket), request)) };
  }

  /**
   * `doc { pageId, componentId, update?, sv? }` → `{ ok, update? }`: stores and broadcasts
   * an edit of a collaborative document; with `sv`, answers what the tab lacks.
   */
  @SubscribeMessage('doc')
  async doc(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<DocReply>> {
    // base64 makes an update a third larger: half the message limit leaves room for it
    const request = validateDoc(body, Math.floor(this.config.maxMessageBytes / 2));
    await this.checkSession(tabOf(socket));
    return { ok: true, ...(await this.documents.edit(this.tab(socket), request)) };
  }

  /**
   * Refuses a tab whose session is refused: its cookie (two of them, too old), past its
   * maximum age, idle or revoked. A join asks the store as REST requests do (cached per
   * replica); other messages are checked from memory (see `SessionService.checkMessage`).
   * A tab without a session cookie passes (it can only show shared pages).
   */
  private async checkSession(data: TabData, join = false): Promise<void> {
    if (data.refusal) throw data.refusal;
    if (!data.sessionId) return;
    try {
      if (join)
        await this.sessions.checkRequest({
          state: 'valid',
          id: data.sessionId,
          issuedAt: data.issuedAt,
        });
      else await this.sessions.checkMessage(data.sessionId, data.issuedAt);
    } catch (error) {
      // an ended session does not come back: later messages are refused at once
      if (error instanceof PushpageError && error.reason === 'session-unknown')
        data.refusal = error;
      throw error;
    }
  }

  /** The socket's tab, as catching up and editing documents see it. */
  private tab(socket: Socket): CatchUpTab & DocumentTab {
    const data = tabOf(socket);
    return {
      id: socket.id,
      sessionId: data.sessionId,
      get pageId() {
        return data.pageId;
      },
      docs: data.docs,
      show: async (pageId, scopes) => {
        await socket.join(scopes.map(scopeRoom));
        if (data.pageId !== pageId) {
          this.lifecycle.tabJoined(pageId);
          this.timers.wake(pageId);
        }
        data.pageId = pageId;
      },
      takeWholePage: () => takeWholePage(this.rateLimits, socket),
    };
  }
}
