import { DemoApp } from '../support/demo-app';
import { RedisServer } from '../support/redis-server';
import type { UnusableReason } from '../../libs/pushpage/src/protocol';

interface ViewNode {
  id: string;
  tag: string;
  props: Record<string, unknown>;
  events?: string[];
  children?: ViewNode[];
}
interface PageView {
  pageId: string;
  version: number;
  tree: ViewNode;
}

function find(node: ViewNode, match: (n: ViewNode) => boolean): ViewNode[] {
  return [...(match(node) ? [node] : []), ...(node.children ?? []).flatMap((c) => find(c, match))];
}

describe('REST API against a real server on Redis', () => {
  let redis: RedisServer;
  let app: DemoApp;

  beforeAll(async () => {
    redis = await RedisServer.start();
    app = await DemoApp.start({ REDIS_URL: redis.url });
  }, 30_000);
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(app.url + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  }

  async function open(route: string, query?: Record<string, string>) {
    const res = await call('POST', '/api/pages', { route, query });
    expect(res.status).toBe(201);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    return { cookie, view: res.json as unknown as PageView, etag: res.headers.get('etag') ?? '' };
  }

  it('opens a page (201, cookie, ETag), reads it (200), and answers 304 when nothing changed', async () => {
    const { cookie, view, etag } = await open('/hello');
    expect(cookie).toMatch(/^pp_session=/);
    expect(find(view.tree, (n) => n.props.text === 'Hello! (click me)')).toHaveLength(10);
    const read = await call('GET', `/api/pages/${view.pageId}`, undefined, { cookie });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    expect(read.json).toEqual(view);
    const notModified = await call('GET', `/api/pages/${view.pageId}`, undefined, {
      cookie,
      'if-none-match': etag,
    });
    expect(notModified.status).toBe(304);
  });

  it('compares If-None-Match as HTTP does: weakly, in a list, and * for any', async () => {
    const { cookie, view, etag } = await open('/hello');
    const poll = async (ifNoneMatch: string) =>
      (
        await call('GET', `/api/pages/${view.pageId}`, undefined, {
          cookie,
          'if-none-match': ifNoneMatch,
        })
      ).status;
    expect(etag).toMatch(/^W\/"[0-9a-f]{16}"$/);
    const strong = etag.slice(2);
    expect(await poll(strong)).toBe(304);
    expect(await poll(`"0000000000000000", ${etag}`)).toBe(304);
    expect(await poll(`W/"0000000000000000" ,${strong}`)).toBe(304);
    expect(await poll('*')).toBe(304);
    expect(await poll('W/"0000000000000000"')).toBe(200);
    expect(await poll(', ,')).toBe(200);
  });

  it('posts an event and answers the page after it, with a new ETag', async () => {
    const { cookie, view, etag } = await open('/hello');
    const third = find(view.tree, (n) => n.props.text === 'Hello! (click me)')[2];
    const res = await call(
      'POST',
      `/api/pages/${view.pageId}/events`,
      { componentId: third.id, type: 'click' },
      { cookie },
    );
    expect(res.status).toBe(200);
    const after = res.json as unknown as PageView;
    expect(find(after.tree, (n) => n.id === third.id)[0].props.text).toBe(
      'Hello! I was clicked 1 times',
    );
    expect(after.version).toBeGreaterThan(view.version);
    expect(res.headers.get('etag')).not.toBe(etag);
    const stale = await call('GET', `/api/pages/${view.pageId}`, undefined, {
      cookie,
      'if-none-match': etag,
    });
    expect(stale.status).toBe(200);
  });

  it('answers an event with the page as stored: a read gives the same body and ETag', async () => {
    for (const route of ['/hello', '/message-board']) {
      const { cookie, view } = await open(route);
      const target =
        route === '/hello'
          ? {
              componentId: find(view.tree, (n) => n.props.text === 'Hello! (click me)')[4].id,
              type: 'click',
            }
          : {
              componentId: find(view.tree, (n) => n.tag === 'button')[0].id,
              type: 'click',
              values: [
                { id: find(view.tree, (n) => n.tag === 'textarea')[0].id, value: 'from REST' },
              ],
            };
      const res = await call('POST', `/api/pages/${view.pageId}/events`, target, { cookie });
      expect(res.status).toBe(200);
      const read = await call('GET', `/api/pages/${view.pageId}`, undefined, { cookie });
      expect(read.json).toEqual(res.json);
      expect(read.headers.get('etag')).toBe(res.headers.get('etag'));
      const again = await call('GET', `/api/pages/${view.pageId}`, undefined, {
        cookie,
        'if-none-match': res.headers.get('etag') ?? '',
      });
      expect(again.status).toBe(304);
    }
  });

  it('refuses text longer than a control takes (413), and changes nothing', async () => {
    const { cookie, view } = await open('/message-board');
    const box = find(view.tree, (n) => n.tag === 'textarea')[0];
    const send = find(view.tree, (n) => n.tag === 'button')[0];
    const limit = Number(box.props.maxlength ?? 10_000);
    const res = await call(
      'POST',
      `/api/pages/${view.pageId}/events`,
      {
        componentId: send.id,
        type: 'click',
        values: [{ id: box.id, value: 'x'.repeat(limit + 1) }],
      },
      { cookie },
    );
    expect(res).toMatchObject({ status: 413, json: { code: 'too-large' } });
    expect(String(res.json?.message)).toMatch(new RegExp(`at most ${limit} characters`));
    const read = await call('GET', `/api/pages/${view.pageId}`, undefined, { cookie });
    expect(read.json).toEqual(view);
  });

  it('passes query parameters to the page', async () => {
    const { cookie, view } = await open('/countdown', { num: '3' });
    const button = find(view.tree, (n) => n.tag === 'button')[0];
    const res = await call(
      'POST',
      `/api/pages/${view.pageId}/events`,
      { componentId: button.id, type: 'click' },
      { cookie },
    );
    expect(res.status).toBe(200);
    expect(
      find((res.json as unknown as PageView).tree, (n) => n.props.text === 'Boom!'),
    ).toHaveLength(1);
  }, 10_000);

  it('closes a page (204); it is gone after (404)', async () => {
    const { cookie, view } = await open('/hello');
    expect((await call('DELETE', `/api/pages/${view.pageId}`, undefined, { cookie })).status).toBe(
      204,
    );
    const gone = await call('GET', `/api/pages/${view.pageId}`, undefined, { cookie });
    expect(gone).toMatchObject({ status: 404, json: { statusCode: 404, code: 'not-found' } });
  });

  describe('answers every error in one JSON shape, and changes nothing', () => {
    let page: Awaited<ReturnType<typeof open>>;
    let hello: ViewNode;
    beforeAll(async () => {
      page = await open('/hello');
      hello = find(page.view.tree, (n) => n.props.text === 'Hello! (click me)')[0];
    });

    type ErrorCase = [
      string,
      () => Promise<{ status: number; json?: Record<string, unknown> }>,
      number,
      string,
      RegExp,
      UnusableReason?,
    ];
    const cases: ErrorCase[] = [
      [
        'malformed JSON',
        () => call('POST', '/api/pages', '{"route":', {}),
        400,
        'bad-request',
        /not valid JSON/,
      ],
      [
        'an invalid body',
        () => call('POST', '/api/pages', { route: 'hello' }),
        400,
        'bad-request',
        /starts with \//,
      ],
      [
        'an invalid event',
        () =>
          call(
            'POST',
            `/api/pages/${page.view.pageId}/events`,
            { componentId: hello.id, type: 'dbl click' },
            { cookie: page.cookie },
          ),
        400,
        'bad-request',
        /is not an event name/,
      ],
      [
        'an unknown route',
        () => call('POST', '/api/pages', { route: '/nope' }),
        404,
        'not-found',
        /no page is served at \/nope/,
      ],
      [
        'an unknown page',
        () => call('GET', '/api/pages/AAAAAAAAAAAAAAAAAAAAAA', undefined, { cookie: page.cookie }),
        404,
        'not-found',
        /does not exist/,
        'page-gone',
      ],
      [
        'an unknown component',
        () =>
          call(
            'POST',
            `/api/pages/${page.view.pageId}/events`,
            { componentId: 'nope', type: 'click' },
            { cookie: page.cookie },
          ),
        404,
        'not-found',
        /is not on page/,
      ],
      [
        'a page read without the session cookie',
        () => call('GET', `/api/pages/${page.view.pageId}`, undefined, {}),
        403,
        'forbidden',
        /session is not recognised/,
        'session-unknown',
      ],
      [
        'a page polled with its ETag, without the session cookie',
        () =>
          call('GET', `/api/pages/${page.view.pageId}`, undefined, { 'if-none-match': page.etag }),
        403,
        'forbidden',
        /session is not recognised/,
        'session-unknown',
      ],
      [
        'an event with a session cookie signed by another secret',
        () =>
          call(
            'POST',
            `/api/pages/${page.view.pageId}/events`,
            { componentId: hello.id, type: 'click' },
            { cookie: `pp_session=${page.cookie.split('=')[1].split('.')[0]}.forged` },
          ),
        403,
        'forbidden',
        /session is not recognised/,
        'session-unknown',
      ],
      [
        "an event on another session's page",
        () =>
          open('/hello').then((other) =>
            call(
              'POST',
              `/api/pages/${page.view.pageId}/events`,
              { componentId: hello.id, type: 'click' },
              { cookie: other.cookie },
            ),
          ),
        403,
        'forbidden',
        /another session/,
        'other-session',
      ],
      [
        'a body too large',
        () =>
          call(
            'POST',
            `/api/pages/${page.view.pageId}/events`,
            { componentId: hello.id, type: 'click', key: 'x'.repeat(2 * 1024 * 1024) },
            { cookie: page.cookie },
          ),
        413,
        'too-large',
        /too large/,
      ],
      [
        'an event the component does not listen to',
        () =>
          call(
            'POST',
            `/api/pages/${page.view.pageId}/events`,
            { componentId: hello.id, type: 'keydown' },
            { cookie: page.cookie },
          ),
        422,
        'not-listening',
        /does not listen to keydown/,
      ],
    ];

    // a rest parameter: Jest would take a sixth named parameter for a `done` callback
    it.each(cases)('%s', async (...[, send, status, code, message, reason]: ErrorCase) => {
      const before = await app.store.countComponents();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.json).toEqual({
        statusCode: status,
        code,
        message: expect.stringMatching(message),
        ...(reason ? { reason } : {}),
      });
      expect(await app.store.countComponents()).toBeGreaterThanOrEqual(before);
      const read = await call('GET', `/api/pages/${page.view.pageId}`, undefined, {
        cookie: page.cookie,
        'if-none-match': page.etag,
      });
      expect(read.status).toBe(304);
    });
  });

  it('answers 429 to a session that floods the API, and serves it again a moment later', async () => {
    const { cookie, view } = await open('/hello');
    // bursts of 200 at a limit of 100 a second; on a busy machine a burst may take long
    // enough for the bucket to refill, so a few bursts at most
    let limited: Awaited<ReturnType<typeof call>>[] = [];
    for (let burst = 0; burst < 5 && limited.length === 0; burst++) {
      const flood = await Promise.all(
        Array.from({ length: 200 }, () =>
          call('GET', `/api/pages/${view.pageId}`, undefined, { cookie }),
        ),
      );
      limited = flood.filter((r) => r.status === 429);
    }
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].json).toEqual({
      statusCode: 429,
      code: 'rate-limited',
      message: expect.stringMatching(/too many requests/i),
    });
    const other = await open('/hello');
    expect(
      (await call('GET', `/api/pages/${other.view.pageId}`, undefined, { cookie: other.cookie }))
        .status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call('GET', `/api/pages/${view.pageId}`, undefined, { cookie })).status).toBe(
      200,
    );
  }, 60_000);

  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = await call('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    const paths = Object.keys((doc.json as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/pages', '/api/pages/{pageId}', '/api/pages/{pageId}/events']),
    );
    const ui = await fetch(`${app.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});
