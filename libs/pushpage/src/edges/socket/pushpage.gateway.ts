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
import { notOnPage, pageGone, PushpageError, sessionEnded, sessionUnknown } from '../../errors';
import { EventDispatcher } from '../../engine/event-dispatcher';
import { sequencer } from '../../engine/sequencer';
import { PageLifecycle } from '../../engine/page-lifecycle';
import { SessionService } from '../../sessions/session.service';
import { isCollaborative } from '../../collab/document-state';
import { PushpageDocuments } from '../../collab/documents.service';
import { BroadcastProbe } from '../../ops/broadcast-probe.service';
import { PushpageMetrics } from '../../ops/metrics.service';
import { missingPart, toBase64 } from '../../collab/yjs-codec';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, SOCKET_PATH } from '../../options';
import { Ack, DocReply, MoreReply, PageSnapshot, ScopePatch } from '../../protocol';
import {
  accessOf,
  checkVisible,
  childrenOnPage,
  loadChildren,
  LoadedSnapshot,
  loadSnapshot,
  scopeOfRecord,
} from '../../engine/snapshot';
import { PUSHPAGE_STORE, PushpageStore } from '../../store/store';
import { missedPatches } from '../../engine/catch-up';
import { clientNodeOfStored } from '../../model/serialize';
import { WebPage } from '../../model/web-page';
import { DocRequest, validateDoc } from './doc.dto';
import { validateJoin } from './join.dto';
import { validateMore } from './more.dto';
import { SocketAdapterService } from './socket-adapter.service';
import { SocketExceptionFilter } from './socket-exception.filter';
import { SocketRateGuard, TabRates } from './socket-rate.guard';
import { DocTarget, TabData, tabOf } from './tab';
import { SessionRevocations } from '../../sessions/session-revocations';
import { scopeRoom, SocketPublisher } from './socket-publisher';

/** The gateway's Socket.IO server settings; the namespace comes from the module's routes. */
export const GATEWAY_OPTIONS: GatewayMetadata = {
  path: SOCKET_PATH,
  transports: ['websocket'],
  serveClient: false,
};

/**
 * The Socket.IO edge: a tab joins its page (and the shared elements on it), sends events
 * with acknowledgements, and receives patches. The module registers a subclass on its
 * namespace (see module-definition.ts).
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
    private readonly documents: PushpageDocuments,
    private readonly metrics: PushpageMetrics,
    private readonly probe: BroadcastProbe,
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    @Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions,
    private readonly revocations: SessionRevocations,
  ) {}

  /** Nest passes the server for the main namespace, the namespace for any other. */
  afterInit(serverOrNamespace: Server | Namespace): void {
    const server = 'engine' in serverOrNamespace ? serverOrNamespace : serverOrNamespace.server;
    const namespace = 'engine' in serverOrNamespace ? serverOrNamespace.sockets : serverOrNamespace;
    this.adapter.install(server);
    this.publisher.attach(namespace);
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
      rates: new TabRates(this.config.socketRateLimit),
    };
    socket.data = data;
  }

  handleDisconnect(socket: Socket): void {
    const { pageId } = tabOf(socket);
    if (pageId) this.lifecycle.tabLeft(pageId);
  }

  /** `join { pageId, versions }` → `{ ok, snapshot? }`: a snapshot when the tab is behind. */
  @SubscribeMessage('join')
  async join(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ snapshot?: PageSnapshot; patches?: ScopePatch[] }>> {
    const { pageId, versions = {} } = validateJoin(body);
    const data = tabOf(socket);
    await this.checkSession(data, true);
    // versions and access first (no fields read): a tab that is current needs no page
    const state = await this.store.pageState(pageId);
    if (!state) throw pageGone(pageId);
    checkVisible(accessOf(state.fields), pageId, data.sessionId);
    if (data.pageId && data.pageId !== pageId) {
      throw new PushpageError('bad-request', 'this socket already shows another page');
    }
    await socket.join(Object.keys(state.versions).map(scopeRoom));
    if (data.pageId !== pageId) this.lifecycle.tabJoined(pageId);
    data.pageId = pageId;
    const current = Object.entries(state.versions);
    const upToDate =
      current.length === Object.keys(versions).length &&
      current.every(([id, v]) => versions[id] === v);
    if (upToDate) return { ok: true };
    const patches = await missedPatches(this.store, state.versions, versions);
    if (patches) return { ok: true, patches };
    const { snapshot } = await this.visibleSnapshot(pageId, data);
    await socket.join(Object.keys(snapshot.versions).map(scopeRoom));
    return { ok: true, snapshot };
  }

  /** `event { pageId, componentId, type, value?, key?, values? }` → `{ ok, updated }`. */
  @SubscribeMessage('event')
  async event(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ updated: boolean; duplicate?: boolean }>> {
    const data = tabOf(socket);
    if (data.refusal) throw data.refusal;
    if (!data.sessionId) throw sessionUnknown();
    await this.checkSession(data);
    const outcome = await this.dispatcher.dispatch(
      body,
      { sessionId: data.sessionId, socketId: socket.id },
      data.sequence,
    );
    return { ok: true, ...outcome };
  }

  /** `resync { pageId }` → `{ ok, snapshot }`: the whole page, after a gap in versions. */
  @SubscribeMessage('resync')
  async resync(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ snapshot: PageSnapshot }>> {
    const data = tabOf(socket);
    await this.checkSession(data);
    const { pageId } = validateJoin(body);
    if (data.pageId !== pageId)
      throw new PushpageError('forbidden', 'join the page before asking for it');
    const { snapshot } = await this.visibleSnapshot(pageId, data);
    await socket.join(Object.keys(snapshot.versions).map(scopeRoom));
    return { ok: true, snapshot };
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
    const data = tabOf(socket);
    await this.checkSession(data);
    const { pageId, componentId, from } = validateMore(body);
    if (data.pageId !== pageId)
      throw new PushpageError('forbidden', 'join the page before asking for its children');
    data.rates.takeWholePage();
    const window = this.config.snapshotWindow;
    const loaded = await loadChildren(this.store, pageId, componentId, from, window);
    checkVisible(loaded, pageId, data.sessionId);
    return { ok: true, ...childrenOnPage(loaded, pageId, componentId) };
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
    const target = await this.docTarget(tabOf(socket), request);
    if (request.update) {
      await this.documents.apply(target.scope, request.componentId, request.update);
      this.metrics.docUpdates.inc({ result: 'ok' });
      this.publisher.publishDoc(
        target.scope,
        { c: request.componentId, u: toBase64(request.update) },
        socket.id,
      );
    }
    if (!request.stateVector) return { ok: true };
    const state = await this.documents.state(target.scope, request.componentId, target.initial);
    return { ok: true, update: toBase64(missingPart(state, request.stateVector)) };
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

  /**
   * Checks (once per socket) that the document is a collaborative editor on the joined page.
   * Reads the page's records only: building its snapshot would merge every document on it.
   */
  private async docTarget(data: TabData, request: DocRequest): Promise<DocTarget> {
    if (data.pageId !== request.pageId)
      throw new PushpageError('forbidden', 'join the page before editing its documents');
    const known = data.docs.get(request.componentId);
    if (known) return known;
    const records = await this.store.load([request.pageId], 'tree');
    const page = records[0];
    checkVisible(
      page?.id === request.pageId && page.type === WebPage.typeName ? accessOf(page.fields) : null,
      request.pageId,
      data.sessionId,
    );
    const record = records.find((r) => r.id === request.componentId);
    if (!record) throw notOnPage(request.componentId, request.pageId);
    const props = clientNodeOfStored(record).p;
    if (!isCollaborative(props))
      throw new PushpageError(
        'not-listening',
        `component ${request.componentId} is not a collaborative document`,
      );
    const target: DocTarget = {
      scope: scopeOfRecord(records, record.id),
      initial: typeof props.value === 'string' ? props.value : '',
    };
    if (data.docs.size < 1000) data.docs.set(record.id, target);
    return target;
  }

  private async visibleSnapshot(pageId: string, data: TabData): Promise<LoadedSnapshot> {
    data.rates.takeWholePage();
    const loaded = await loadSnapshot(this.store, pageId, this.config.snapshotWindow);
    checkVisible(loaded, pageId, data.sessionId);
    return loaded;
  }
}

/** The nearest scope (the node itself, a shared element above it, or the page) of a node. */
