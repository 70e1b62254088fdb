import { SetMetadata } from '@nestjs/common';
import { PageRequest } from './page-request';
import { WebPage } from '../../model/web-page';

/** Options of {@link PageRoute}. */
export interface PageRouteOptions {
  /** Default document title, when the page sets none. */
  title?: string;
}

/** What a page class implements: build the page a request sees. */
export interface PageRenderer {
  /**
   * Returns a new `WebPage` for a page of its own, or a shared page (from
   * `req.shared(...)`) to show every request the same page.
   */
  render(req: PageRequest): WebPage | Promise<WebPage>;
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
 */
export function PageRoute(path: string, options: PageRouteOptions = {}): ClassDecorator {
  if (!path.startsWith('/')) throw new Error(`page route "${path}" must start with /`);
  return SetMetadata(PAGE_ROUTE, { ...options, path } satisfies PageRouteMetadata);
}
