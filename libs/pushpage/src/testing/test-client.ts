import type { PageView } from '../protocol';
import { apiErrorOf } from './api-error';
import { HttpSession, normalizePrefix, TestTarget } from './http-session';
import { TestPage } from './test-page';

/** How a {@link PushpageTestClient} reaches the app's REST API. */
export interface TestClientOptions {
  /**
   * The REST API's path: the module's `apiPrefix` after the app's global prefix, if any
   * (`/v1/api/pages` for `setGlobalPrefix('v1')`). Default `/api/pages`.
   */
  apiPrefix?: string;
  /** How long one request may take before it fails. Default 10 000 ms. */
  requestTimeoutMs?: number;
}

const DEFAULT_API_PREFIX = '/api/pages';
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** `route` without its query string, and the query it carried merged with `query`. */
function splitRoute(
  route: string,
  query: Record<string, string>,
): { route: string; query: Record<string, string> } {
  const mark = route.indexOf('?');
  if (mark < 0) return { route, query };
  const inRoute = Object.fromEntries(new URLSearchParams(route.slice(mark + 1)));
  return { route: route.slice(0, mark), query: { ...inRoute, ...query } };
}

/**
 * A client of a running Pushpage app's REST API with a session of its own, as one browser
 * is: it keeps the session cookie, and the pages it opens belong to that session. Use two
 * clients for two people (a shared element changed by one shows on the other's page).
 *
 * ```ts
 * const client = new PushpageTestClient(app); // a listening INestApplication, or a URL
 * const page = await client.open('/greet');
 * await page.click('greet');
 * expect(page.text('output')).toBe('Hello, 1 times');
 * ```
 */
export class PushpageTestClient {
  private readonly session: HttpSession;

  /**
   * @param target - the app: a Nest app that listens already, or its base URL
   * (`http://127.0.0.1:3000`).
   */
  constructor(target: TestTarget, options: TestClientOptions = {}) {
    this.session = new HttpSession(
      target,
      normalizePrefix(options.apiPrefix ?? DEFAULT_API_PREFIX),
      options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    );
  }

  /** The `Cookie` header this client sends: its session cookie ('' before the first page). */
  get cookie(): string {
    return this.session.cookieHeader;
  }

  /**
   * Opens a page of a route (`POST /api/pages`), in this client's session.
   * @param route - the page's path; a query string in it (`/countdown?num=10`) is its query.
   * @param query - query parameters, beside those in `route`.
   * @throws {@link PushpageApiError} when the API refuses (`not-found`: no page at that route).
   */
  async open(route: string, query: Record<string, string> = {}): Promise<TestPage> {
    const body = splitRoute(route, query);
    const res = await this.session.call('POST', '', { body });
    if (res.status !== 201) throw await apiErrorOf(`opening ${route}`, res);
    const view = (await res.json()) as PageView;
    return new TestPage(this.session, body.route, view, res.headers.get('etag'));
  }
}

/** Options of {@link openTestPage}: the client's, and the page's query parameters. */
export interface OpenTestPageOptions extends TestClientOptions {
  /** Query parameters of the page, beside those in the route. */
  query?: Record<string, string>;
}

/**
 * Opens a page of `route` in a new session: a new {@link PushpageTestClient}'s first page.
 *
 * ```ts
 * const page = await openTestPage(app, '/counter');
 * await page.click('click');
 * await page.waitFor((p) => p.text('count') === 'Clicked 1 times');
 * ```
 */
export function openTestPage(
  target: TestTarget,
  route: string,
  options: OpenTestPageOptions = {},
): Promise<TestPage> {
  const { query, ...clientOptions } = options;
  return new PushpageTestClient(target, clientOptions).open(route, query);
}
