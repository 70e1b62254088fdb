import {
  Body,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pageGone, PushpageError, sessionUnknown } from '../../errors';
import { EventDispatcher, EventOutcome } from '../../engine/event-dispatcher';
import { UploadOutcome, UploadsService } from '../../uploads/uploads.service';
import { checkTabId } from '../../engine/storage';
import { PageLifecycle } from '../../engine/page-lifecycle';
import { PagesService } from './pages.service';
import { SessionService } from '../../sessions/session.service';
import {
  childrenOnPage,
  loadChildren,
  LoadedSnapshot,
  loadSnapshot,
  checkVisible,
  snapshotOf,
} from '../../engine/snapshot';
import { accessOf, PageAccess } from '../../model/serialize';
import { queryFrom } from '../socket/more.dto';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../../options';
import { ClientAction, ID_PATTERN } from '../../protocol';
import { PUSHPAGE_STORE, PushpageStore } from '../../store/store';
import { ApiErrorFilter } from './api-errors';
import {
  ApiEventDto,
  ChildrenViewDto,
  CreatePageDto,
  EventAnswerDto,
  PageViewDto,
  UploadFilesDto,
} from './api.dto';
import { ApiBodyPipe } from './api-body.pipe';
import { traceEvent } from '../../ops/tracing';
import {
  API_HEADERS,
  ApiRefusals,
  BAD_ID,
  componentIdParam,
  EVENT_REFUSALS,
  FORBIDDEN_ORIGIN,
  FORBIDDEN_SESSION,
  PAGE_GONE,
  pageIdParam,
  SUCCESS_HEADERS,
  UPLOAD_REFUSALS,
  withSession,
  withSessionOrNone,
} from './api-docs';
import { eventAnswer } from './event-answer';
import { childrenView, pageView, RevisedSnapshot } from './page-view';
import { revisionEtag } from '../../store/revision';
import { OriginGuard } from './origin.guard';
import { RateLimitGuard } from './rate-limit.guard';
import { OpensSession, SessionGuard } from './session.guard';

function checkPageId(pageId: string): string {
  if (!ID_PATTERN.test(pageId)) throw new PushpageError('bad-request', 'pageId must be a page id');
  return pageId;
}

function checkComponentId(componentId: string): string {
  if (!ID_PATTERN.test(componentId))
    throw new PushpageError('bad-request', 'componentId must be a component id');
  return componentId;
}

/** An entity tag without its weak prefix: `If-None-Match` compares tags weakly. */
function opaqueTag(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** The tags of an `If-None-Match` header (a list, or `*` for any), weak prefixes dropped. */
function knownTags(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((tag) => opaqueTag(tag.trim()))
    .filter((tag) => tag !== '');
}

/**
 * Answers `200` with the page and its ETag (the store's, when it computed one), and the
 * client actions of the event it answers, if any.
 */
function sendPage(
  res: Response,
  loaded: RevisedSnapshot,
  etag = revisionEtag(loaded.revision),
  actions: ClientAction[] = [],
): void {
  res.setHeader('ETag', etag);
  res.status(200).json(eventAnswer(pageView(loaded), actions));
}

/**
 * The REST edge, for pages without websockets and for programs that cannot hold a socket:
 * open a page, read it (with ETag), send events, close it. Events take the same path as
 * socket events, so a REST event updates the socket tabs of a shared page on every replica.
 * The module registers a subclass on its `apiPrefix` (see module-definition.ts).
 */
@ApiTags('pages')
@UseFilters(ApiErrorFilter)
@UseGuards(OriginGuard, RateLimitGuard, SessionGuard)
export class PagesApiController {
  constructor(
    private readonly pages: PagesService,
    private readonly dispatcher: EventDispatcher,
    private readonly sessions: SessionService,
    private readonly lifecycle: PageLifecycle,
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    @Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions,
    private readonly uploads: UploadsService,
  ) {}

  @Post()
  @OpensSession()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createPage',
    summary: 'Open a page of a route; sets the session cookie when the request has none usable',
  })
  @ApiSecurity({})
  @ApiBody({ type: CreatePageDto })
  @ApiResponse({
    status: 201,
    description: 'the page opened',
    type: PageViewDto,
    headers: { ...SUCCESS_HEADERS, ...API_HEADERS.setCookie },
  })
  @ApiRefusals({
    400: '`bad-request`: malformed JSON, or a body that is not `{ route, query? }` within its limits',
    403: FORBIDDEN_ORIGIN,
    404: '`not-found`: no page is served at the route',
    413: '`too-large`: a body over the JSON limit (1 MB in the demo)',
  })
  async create(
    @Body(new ApiBodyPipe(CreatePageDto, '', '{ route, query? }')) body: CreatePageDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PageViewDto> {
    const { route, query = {} } = body;
    const matched = this.pages.match(route);
    if (!matched) throw new PushpageError('not-found', `no page is served at ${route}`);
    await this.pages.admitNewPage(req.ip);
    const session = await this.sessions.sessionStartOf(req, res);
    const rendered = await this.pages.render(matched, query, session.id, {}, session.issuedAt);
    res.setHeader('ETag', revisionEtag(rendered.revision));
    return pageView(rendered);
  }

  @Get(':pageId')
  @ApiOperation({
    operationId: 'getPage',
    summary: 'Read a page; answers 304 when If-None-Match names its current state',
  })
  @withSessionOrNone()
  @pageIdParam()
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'ETags of states the client holds (compared weakly), or `*`',
  })
  @ApiResponse({
    status: 200,
    description: 'the page',
    type: PageViewDto,
    headers: { ...SUCCESS_HEADERS, ...API_HEADERS.noCache },
  })
  @ApiResponse({
    status: 304,
    description: 'not modified: If-None-Match names the current state; no body',
    headers: { ...SUCCESS_HEADERS, ...API_HEADERS.noCache },
  })
  @ApiRefusals({ 400: BAD_ID, 403: FORBIDDEN_SESSION, 404: PAGE_GONE })
  async read(
    @Param('pageId') pageId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    res.setHeader('Cache-Control', 'no-cache');
    const known = knownTags(req.headers['if-none-match']);
    // One store call: a poll of an unchanged page reads no fields and sends no body.
    const read = await this.store.readPage(checkPageId(pageId), known[0] && `W/${known[0]}`);
    if (!read) throw pageGone(pageId);
    this.checkAccess(pageId, accessOf(read.fields), req);
    if (!read.records || known.includes('*') || known.includes(opaqueTag(read.etag))) {
      res.setHeader('ETag', read.etag);
      res.status(304).end();
      return;
    }
    const loaded = await snapshotOf(this.store, pageId, read.records, this.config.snapshotWindow);
    if (!loaded) throw pageGone(pageId);
    sendPage(res, loaded, read.etag);
  }

  @Get(':pageId/components/:componentId/children')
  @ApiOperation({
    operationId: 'getChildren',
    summary: 'Read the children of a component from `from` on: those a page view left out (`more`)',
  })
  @withSessionOrNone()
  @pageIdParam()
  @componentIdParam()
  @ApiQuery({
    name: 'from',
    required: false,
    schema: { type: 'integer', minimum: 0, default: 0 },
    description: 'index of the first child: how many the client holds',
  })
  @ApiResponse({
    status: 200,
    description: 'the children from `from` on',
    type: ChildrenViewDto,
    headers: { ...API_HEADERS.rateLimit, ...API_HEADERS.noCache },
  })
  @ApiRefusals({
    400: '`bad-request`: an id that is not one, or `from` not a whole number 0 or more',
    403: FORBIDDEN_SESSION,
    404: `${PAGE_GONE}, or no such component on it`,
  })
  async children(
    @Param('pageId') pageId: string,
    @Param('componentId') componentId: string,
    @Query('from') from: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ChildrenViewDto> {
    res.setHeader('Cache-Control', 'no-cache');
    const loaded = await loadChildren(
      this.store,
      checkPageId(pageId),
      checkComponentId(componentId),
      queryFrom(from),
      this.config.snapshotWindow,
    );
    if (!loaded) throw pageGone(pageId);
    this.checkAccess(pageId, loaded, req);
    return childrenView(childrenOnPage(loaded, pageId, componentId));
  }

  @Post(':pageId/events')
  @ApiOperation({
    operationId: 'sendEvent',
    summary:
      'Send an event; answers the page after it with the client actions the handler sent, ' +
      'or 204 if the handler skipped the update and sent none',
  })
  @withSession()
  @pageIdParam()
  @ApiBody({ type: ApiEventDto })
  @ApiResponse({
    status: 200,
    description: 'the page after the handler, and its client actions',
    type: EventAnswerDto,
    headers: SUCCESS_HEADERS,
  })
  @ApiResponse({
    status: 204,
    description: 'the handler returned a value (no update) and sent no client actions',
    headers: API_HEADERS.rateLimit,
  })
  @ApiRefusals(EVENT_REFUSALS)
  async event(
    @Param('pageId') pageId: string,
    @Body(new ApiBodyPipe(ApiEventDto, 'event', '{ componentId, type, ... }')) body: ApiEventDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // the tab id is the sender's, not the event's: the dispatcher gets it apart
    const { tabId, ...fields } = body;
    const event = { ...fields, pageId };
    await traceEvent('http', event, async () => {
      const cookie = this.sessions.requestCookie(req);
      if (cookie.state !== 'valid') throw sessionUnknown();
      const outcome = await this.dispatcher.dispatch(event, {
        sessionId: cookie.id,
        sessionIssuedAt: cookie.issuedAt,
        ...(tabId === undefined ? {} : { tabId: checkTabId(tabId) }),
      });
      await this.answerEvent(pageId, outcome, req, res);
    });
  }

  @Post(':pageId/uploads/:componentId')
  @ApiOperation({
    operationId: 'uploadFiles',
    summary:
      'Upload files to an Upload component (multipart/form-data: `files`, and the optional ' +
      '`tabId` and `socketId` of the tab); once stored, its upload handler runs. Answers as an ' +
      'event does, or 204 when the tab named its socket (which then gets the changes and actions)',
  })
  @withSession()
  @pageIdParam()
  @componentIdParam()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFilesDto })
  @ApiResponse({
    status: 200,
    description: 'stored and handled: the page after the handler, and its client actions',
    type: EventAnswerDto,
    headers: SUCCESS_HEADERS,
  })
  @ApiResponse({
    status: 204,
    description:
      'stored and handled, and the handler changed nothing and sent no actions; or the tab ' +
      'named its socket, which got the changes and actions',
    headers: API_HEADERS.rateLimit,
  })
  @ApiRefusals(UPLOAD_REFUSALS)
  async upload(
    @Param('pageId') pageId: string,
    @Param('componentId') componentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const cookie = this.sessions.requestCookie(req);
    if (cookie.state !== 'valid') throw sessionUnknown();
    let taken: UploadOutcome;
    try {
      taken = await this.uploads.take(req, checkPageId(pageId), checkComponentId(componentId), {
        sessionId: cookie.id,
        sessionIssuedAt: cookie.issuedAt,
      });
    } catch (error) {
      // the browser may still be sending: it reads the answer, then the connection goes
      if (!req.complete) res.setHeader('Connection', 'close');
      throw error;
    }
    if (taken.viaSocket) {
      res.status(204).end();
      return;
    }
    await this.answerEvent(pageId, taken.outcome, req, res);
  }

  /** Answers an event over HTTP: the page after it and its client actions, or `204`. */
  private async answerEvent(
    pageId: string,
    outcome: EventOutcome,
    req: Request,
    res: Response,
  ): Promise<void> {
    const actions = outcome.actions ?? [];
    if (!outcome.updated && !outcome.duplicate && actions.length === 0) {
      res.status(204).end();
      return;
    }
    const after = await outcome.pageAfter?.();
    if (after) this.checkAccess(pageId, after, req);
    const loaded = after ?? (await this.visible(pageId, req));
    sendPage(res, loaded, undefined, actions);
  }

  @Delete(':pageId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deletePage', summary: 'Close a page (as a tab that goes away)' })
  @withSession()
  @pageIdParam()
  @ApiResponse({ status: 204, description: 'closed', headers: API_HEADERS.rateLimit })
  @ApiRefusals({
    400: BAD_ID,
    403: `${FORBIDDEN_SESSION}; ${FORBIDDEN_ORIGIN}; a shared page, which no client closes`,
    404: PAGE_GONE,
  })
  async close(@Param('pageId') pageId: string, @Req() req: Request): Promise<void> {
    const loaded = await this.visible(pageId, req);
    if (loaded.shared)
      throw new PushpageError('forbidden', 'a shared page is not closed by a client');
    await this.store.deletePage(pageId);
    await this.store.dropIdleTimers(pageId);
  }

  private async visible(pageId: string, req: Request): Promise<LoadedSnapshot> {
    const loaded = await loadSnapshot(this.store, checkPageId(pageId), this.config.snapshotWindow);
    if (!loaded) throw pageGone(pageId);
    this.checkAccess(pageId, loaded, req);
    return loaded;
  }

  /** Refuses another session's page; keeps a page used over HTTP alive. */
  private checkAccess(pageId: string, page: PageAccess, req: Request): void {
    checkVisible(page, pageId, this.sessions.requestSessionId(req));
    if (!page.shared) this.lifecycle.usedOverHttp(pageId);
  }
}
