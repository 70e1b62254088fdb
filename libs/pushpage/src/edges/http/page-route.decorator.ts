import { SetMetadata } from '@nestjs/common';
import { PageRequest } from './page-request';
import { parseRoutePattern } from './route-pattern';
import { WebPage } from '../../model/web-page';

/** Options of {@link PageRoute}. */
export interface PageRouteOptions {
  /** Default document title, when the page sets none. */
  title?: string;
}

/**
 * What a page class implements: build the page a request sees.
 *
 * @typeParam R - the page's route pattern, so that `req.params` is typed by it:
 *   `implements PageRenderer<'/greet/:name'>` gives `req.params.name`.
 */
export interface PageRenderer<R extends string = string> {
  /**
   * Returns a new `WebPage` for a page of its own, or a shared page (from
   * `req.shared(...)`) to show every request the same page.
   */
  render(req: PageRequest<R>): WebPage | Promise<WebPage>;
}

/** @internal */
export const PAGE_ROUTE = Symbol('pushpage:page-route');

/** @internal */
export interface PageRouteMetadata extends PageRouteOptions {
  path: string;
}

/**
 * Serves a page class at `path`. The class is an ordinary Nest provider (list it in a
 * module's `providers`), so it can inject services; its `render(req)` builds the page.
 * A segment `:name` takes any one segment of the requested path (`/greet/:name` serves
 * `/greet/Ada`), which the page reads, decoded, as `req.params.name`; a route without
 * parameters is preferred where both match. Other segments are literal text. The class's
 * `render` must take the request of this pattern: a `PageRenderer<'/greet/:who'>` under
 * `@PageRoute('/greet/:name')` does not compile.
 */
export function PageRoute<R extends string>(
  path: R,
  options: PageRouteOptions = {},
): <C extends abstract new (...args: never[]) => PageRenderer<R>>(target: C) => void {
  parseRoutePattern(path);
  return SetMetadata(PAGE_ROUTE, { ...options, path } satisfies PageRouteMetadata);
}
