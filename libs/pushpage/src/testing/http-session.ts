import type { INestApplication } from '@nestjs/common';

/** Where the app under test listens: its base URL, or the Nest app itself once listening. */
export type TestTarget = string | INestApplication;

/** The base URL of a listening Nest app (Nest names an unspecified address as loopback). */
async function urlOf(app: INestApplication): Promise<string> {
  try {
    return await app.getUrl();
  } catch {
    throw new Error(
      'the Nest app does not listen yet: call app.listen(0, "127.0.0.1") before opening pages ' +
        '(createTestingApp does both)',
    );
  }
}

/** `/api/pages` from `api/pages`, `/api/pages/` or `/api/pages`. */
export function normalizePrefix(prefix: string): string {
  return `/${prefix.replace(/^\/+|\/+$/g, '')}`;
}

/**
 * One HTTP client with a cookie jar: what a browser profile is to the server, one session.
 * Not exported from the entry point.
 */
export class HttpSession {
  private readonly cookies = new Map<string, string>();
  private baseUrl?: Promise<string>;

  constructor(
    private readonly target: TestTarget,
    readonly apiPrefix: string,
    private readonly requestTimeoutMs: number,
  ) {}

  /** The `Cookie` header this session sends ('' before the server set one). */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The app's base URL, without a trailing slash. */
  url(): Promise<string> {
    this.baseUrl ??= (
      typeof this.target === 'string' ? Promise.resolve(this.target) : urlOf(this.target)
    ).then(
      (url) => url.replace(/\/+$/, ''),
      (error: unknown) => {
        this.baseUrl = undefined; // the app may listen by the next call
        throw error;
      },
    );
    return this.baseUrl;
  }

  /** Calls the REST API at `path` (below the prefix), sending and keeping cookies. */
  async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const cookie = this.cookieHeader;
    if (cookie) headers.cookie = cookie;
    const url = `${await this.url()}${this.apiPrefix}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError')
        throw new Error(`${method} ${url} got no answer within ${this.requestTimeoutMs} ms`);
      throw error;
    }
    this.keepCookies(res);
    return res;
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0];
      const equals = pair.indexOf('=');
      if (equals > 0) this.cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1));
    }
  }
}
