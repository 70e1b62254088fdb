import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { ApplicationConfig, DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { WebPage } from '../../model/web-page';
import { PushpageError } from '../../errors';
import { PushpageMetrics } from '../../ops/metrics.service';
import { countRefusal } from '../../ops/refusals';
import { describeRule, RateLimitedError, RateLimits } from '../rate-limits';
import { retryAfterOf } from './api-errors';
import { ASSET_BASE, PUSHPAGE_CONFIG, ResolvedPushpageOptions, SOCKET_PATH } from '../../options';
import { ClientConfig } from '../../protocol';
import { PUSHPAGE_ROUTES, ResolvedRoutes } from '../../routing';
import { PUSHPAGE_PUBLISHER, PageSnapshot, Publisher } from '../../engine/patch';
import { loadSnapshot } from '../../engine/snapshot';
import { UnitOfWork } from '../../engine/unit-of-work';
import { PUSHPAGE_STORE, PushpageStore } from '../../store/store';
import { PageRevision } from '../../store/revision';
import { PageLifecycle } from '../../engine/page-lifecycle';
import { PageTimersService } from '../../engine/page-timers.service';
import { PageRequest } from './page-request';
import { handlerStorage } from '../../engine/storage';
import { PAGE_ROUTE, PageRenderer, PageRouteMetadata } from './page-route.decorator';
import { SessionService } from '../../sessions/session.service';
import { setSecurityHeaders } from './security-headers';
import { renderShell } from './shell';
import { matchRoute, parseRoutePattern, routeParamsOf, RoutePattern } from './route-pattern';

/** A page route found among the app's providers. */
interface RouteEntry {
  meta: PageRouteMetadata;
  pattern: RoutePattern;
  renderer: PageRenderer;
}

/** A requested path and the route that serves it. */
export interface MatchedRoute {
  /** The path requested, without its query. */
  path: string;
  entry: RouteEntry;
  /** The route's parameters, decoded. */
  params: Record<string, string>;
}

/** A rendered page: its snapshot and its settings. */
export interface RenderedPage {
  snapshot: PageSnapshot;
  /** The revision the snapshot shows (see `LoadedSnapshot`). */
  revision: PageRevision;
  title: string;
  websockets: boolean;
}

/**
 * Serves every `@PageRoute` class: renders the page for the request (a new page, or the
 * shared one), stores it, and answers with the HTML shell holding its snapshot.
 */
@Injectable()
export class PagesService implements OnModuleInit {
  private readonly logger = new Logger('Pushpage');
  /** Routes without parameters first, so `/greet/me` wins over `/greet/:name`. */
  private routes: RouteEntry[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly http: HttpAdapterHost,
    private readonly sessions: SessionService,
    private readonly lifecycle: PageLifecycle,
    private readonly timers: PageTimersService,
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    @Inject(PUSHPAGE_PUBLISHER) private readonly publisher: Publisher,
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
    @Inject(PUSHPAGE_ROUTES) private readonly routesConfig: ResolvedRoutes,
    private readonly appConfig: ApplicationConfig,
    private readonly rateLimits: RateLimits,
    @Optional() private readonly metrics?: PushpageMetrics,
  ) {}

  /**
   * Refuses a new page to a client address over `pageRateLimit` (every replica together on
   * Redis): a session cap alone does not hold back clients that never send their cookie back.
   */
  async admitNewPage(address: string | undefined): Promise<void> {
    const verdict = await this.rateLimits.take('newPages', address ?? '');
    if (verdict.allowed) return;
    throw new RateLimitedError(
      `too many new pages from this address: at most ${describeRule(this.rateLimits.rules.newPages)}; try again shortly`,
      verdict,
    );
  }

  /** Where the REST API is: the app's global prefix (if any), then the API's prefix. */
  private apiBase(): string {
    const global = this.appConfig.getGlobalPrefix().replace(/^\/+|\/+$/g, '');
    return `/${[global, this.routesConfig.apiPrefix].filter(Boolean).join('/')}`;
  }

  /** What the browser runtime of a page needs to know about this server. */
  private clientConfig(websockets: boolean): ClientConfig {
    return {
      socketPath: SOCKET_PATH,
      socketNamespace: this.routesConfig.socketNamespace,
      apiBase: this.apiBase(),
      websockets,
      assetBase: ASSET_BASE,
      snapshotWindow: this.options.snapshotWindow,
    };
  }

  onModuleInit(): void {
    const found: RouteEntry[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const metatype = wrapper.metatype as object | null;
      const instance = wrapper.instance as PageRenderer | undefined;
      if (!metatype || !instance) continue;
      const meta = Reflect.getMetadata(PAGE_ROUTE, metatype) as PageRouteMetadata | undefined;
      if (!meta) continue;
      if (typeof instance.render !== 'function') {
        throw new Error(`${wrapper.name} has @PageRoute('${meta.path}') but no render(req) method`);
      }
      const pattern = parseRoutePattern(meta.path);
      const twin = found.find((entry) => sameShape(entry.pattern, pattern));
      if (twin) throw new Error(`two page classes serve ${twin.meta.path} and ${meta.path}`);
      found.push({ meta, pattern, renderer: instance });
    }
    this.routes = found.sort((a, b) => a.pattern.paramCount - b.pattern.paramCount);
    for (const entry of this.routes) {
      this.http.httpAdapter.get(
        entry.meta.path,
        (req: Request, res: Response) => void this.serve(entry, req, res),
      );
    }
    this.logger.log(`page routes: ${this.routes.map((e) => e.meta.path).join(', ') || '(none)'}`);
  }

  /**
   * The route that serves `path` (without a query) and its parameters; `undefined` when none
   * does. Throws `bad-request` for a parameter that is badly encoded or too long.
   */
  match(path: string): MatchedRoute | undefined {
    if (/[?#]/.test(path)) return undefined; // a path, not a URL: the query goes apart
    for (const entry of this.routes) {
      const params = matchRoute(entry.pattern, path);
      if (params) return { path, entry, params };
    }
    return undefined;
  }

  /** Renders the page of a matched route for a session and stores it. */
  async render(
    matched: MatchedRoute,
    query: Record<string, string>,
    sessionId: string,
    headers: Record<string, string | undefined> = {},
    sessionIssuedAt = Date.now(),
  ): Promise<RenderedPage> {
    const { path, entry: route, params } = matched;
    const uow = new UnitOfWork(this.store, this.publisher, this.options);
    const storage = handlerStorage({
      store: this.store,
      sessionId,
      userExpireAt: sessionIssuedAt + this.options.sessionMaxAgeMs,
      noTab:
        'req.storage.tab: a page is rendered before its tab exists; use msg.storage.tab in its handlers',
    });
    const request = new PageRequest(
      { path, route: route.meta.path, params, query, sessionId, headers, storage },
      uow,
    );
    const page = await route.renderer.render(request);
    if (!(page instanceof WebPage)) throw new Error(`render() of ${path} did not return a WebPage`);
    if (!page._s.stored) {
      if (page.deleteFlag)
        uow.addPage(page, { session: sessionId, route: path }, this.options.maxPagesPerSession);
      else uow.addPage(page, { route: path, shared: true });
    }
    await uow.commitQuietly();
    const loaded = await loadSnapshot(this.store, page.id, this.options.snapshotWindow);
    if (!loaded) throw new Error(`page ${page.id} vanished right after it was stored`);
    const { snapshot, revision } = loaded;
    this.timers.armNodes(page.id, snapshot.nodes);
    const websockets = page.websockets ?? this.options.websockets;
    if (page.deleteFlag) await this.lifecycle.created(page.id, websockets);
    return { snapshot, revision, title: page.title || route.meta.title || 'Pushpage', websockets };
  }

  private async serve(entry: RouteEntry, req: Request, res: Response): Promise<void> {
    const path = req.path;
    try {
      const params = routeParamsOf(entry.pattern, req.params);
      await this.admitNewPage(req.ip);
      const session = await this.sessions.sessionStartOf(req, res);
      const query: Record<string, string> = {};
      const url = new URL(req.originalUrl, 'http://localhost');
      for (const [key, value] of url.searchParams) query[key] = value;
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(req.headers))
        headers[key] = Array.isArray(value) ? value.join(', ') : value;
      const rendered = await this.render(
        { path, entry, params },
        query,
        session.id,
        headers,
        session.issuedAt,
      );
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      setSecurityHeaders(req, res, this.options.contentSecurityPolicy);
      res.send(
        renderShell(
          rendered.title,
          rendered.snapshot,
          this.clientConfig(rendered.websockets),
          this.options.clientScripts,
        ),
      );
    } catch (error) {
      if (error instanceof PushpageError) {
        // a refusal (too many pages) or an outage (Redis unreachable): say which
        if (this.metrics) countRefusal(this.metrics, 'http', error);
        if (res.headersSent) return;
        const retryAfter = retryAfterOf(error, error.status);
        if (retryAfter !== undefined) res.setHeader('Retry-After', retryAfter);
        res.status(error.status).type('text/plain').send(error.message);
        return;
      }
      this.logger.error(
        `rendering ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!res.headersSent)
        res
          .status(500)
          .type('text/plain')
          .send('This page could not be rendered; the server log has the details.');
    }
  }
}

/** Whether two patterns match the same paths for Express, which ignores case (`/a/:x`, `/A/:y`). */
function sameShape(a: RoutePattern, b: RoutePattern): boolean {
  return (
    a.segments.length === b.segments.length &&
    a.segments.every((segment, i) => {
      const other = b.segments[i];
      return 'literal' in segment
        ? 'literal' in other && other.literal.toLowerCase() === segment.literal.toLowerCase()
        : 'param' in other;
    })
  );
}
