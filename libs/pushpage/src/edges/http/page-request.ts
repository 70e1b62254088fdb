import { Component } from '../../model/component';
import { SharedDefinition } from '../../engine/shared';
import { UnitOfWork } from '../../engine/unit-of-work';
import { HandlerStorage, noStorage } from '../../engine/storage';
import { RouteParams } from './route-pattern';

/** @internal What a page is rendered for, besides the session's unit of work. */
export interface PageRequestInit<R extends string = string> {
  path: string;
  route: R;
  params: RouteParams<R>;
  query: Readonly<Record<string, string>>;
  sessionId: string;
  headers: Readonly<Record<string, string | undefined>>;
  storage?: HandlerStorage;
}

/**
 * The request a page is rendered for.
 *
 * @typeParam R - the route pattern of the page (`'/greet/:name'`), which types {@link PageRequest.params}
 */
export class PageRequest<R extends string = string> {
  /** The path that was requested, without its query: `/greet/Ada`. */
  readonly path: string;
  /** The `@PageRoute` pattern that matched it: `/greet/:name`. */
  readonly route: R;
  /**
   * The route's `:name` parameters, decoded from the path (`{ name: 'Ada' }`). They come from
   * the URL: show them as `text`, which is never parsed as HTML.
   */
  readonly params: RouteParams<R>;
  /** Query parameters; repeated keys keep the last value. */
  readonly query: Readonly<Record<string, string>>;
  /** The browser session (a signed, httpOnly cookie). */
  readonly sessionId: string;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /**
   * The session's storage, as a handler's `msg.storage`: `req.storage.user.get('theme')`.
   * `req.storage.tab` is refused here: the page's tab does not exist yet.
   */
  readonly storage: HandlerStorage;

  /** @internal Pushpage makes the request; a page only reads it. */
  constructor(
    init: PageRequestInit<R>,
    private readonly uow: UnitOfWork,
  ) {
    this.path = init.path;
    this.route = init.route;
    this.params = Object.freeze({ ...init.params }) as RouteParams<R>;
    this.query = init.query;
    this.sessionId = init.sessionId;
    this.headers = init.headers;
    this.storage = init.storage ?? noStorage;
  }

  /** The shared component (or shared page) of a definition; see `defineShared`. */
  shared<T extends Component>(definition: SharedDefinition<T>): Promise<T> {
    return this.uow.shared(definition);
  }
}
