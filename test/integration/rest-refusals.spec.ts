/**
 * REST refusals are metrics: every kind of refusal the API answers raises
 * `pushpage_refusals_total{reason, transport="http"}` by one, under the error code (the
 * origin guard's under `origin`), and no refusal counts twice. Against the demo, over HTTP.
 */
import { DemoApp, ViewNode, viewNodes } from '../support/demo-app';
import { refusalsDuring } from '../support/metrics';

interface Answer {
  status: number;
  code?: string;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  const body = text.startsWith('{') ? (JSON.parse(text) as { code?: string }) : {};
  return { status: res.status, code: body.code };
}

describe('REST refusals in pushpage_refusals_total', () => {
  let app: DemoApp;
  /** A message board page opened over REST, with its session cookie. */
  let board: { pageId: string; cookie: string; sendId: string; boxId: string };

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; cookie?: string; origin?: string } = {},
  ): Promise<Answer> {
    const { body, cookie, origin } = options;
    return answer(
      await fetch(app.url + path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(cookie ? { cookie } : {}),
          ...(origin ? { origin } : {}),
        },
        body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  }

  async function openBoard(): Promise<typeof board> {
    const res = await fetch(`${app.url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/message-board' }),
    });
    expect(res.status).toBe(201);
    const view = (await res.json()) as { pageId: string; tree: ViewNode };
    const nodes = viewNodes(view.tree);
    return {
      pageId: view.pageId,
      cookie: (res.headers.get('set-cookie') ?? '').split(';')[0],
      sendId: nodes.find((n) => n.tag === 'button')?.id as string,
      boxId: nodes.find((n) => n.tag === 'textarea')?.id as string,
    };
  }

  function post(text: string, cookie = board.cookie, type = 'click'): Promise<Answer> {
    return call('POST', `/api/pages/${board.pageId}/events`, {
      cookie,
      body: { componentId: board.sendId, type, values: [{ id: board.boxId, value: text }] },
    });
  }

  beforeAll(async () => {
    app = await DemoApp.start({ PUSHPAGE_METRICS_PUBLIC: 'true' });
    board = await openBoard();
  });
  afterAll(async () => {
    await app?.stop();
  });

  const cases: [string, string, Answer, () => Promise<Answer>][] = [
    [
      "another session's page",
      'forbidden',
      { status: 403, code: 'forbidden' },
      async () => {
        const theirs = await openBoard();
        return call('GET', `/api/pages/${theirs.pageId}`, { cookie: board.cookie });
      },
    ],
    [
      'an event without a session',
      'forbidden',
      { status: 403, code: 'forbidden' },
      () => post('no cookie', ''),
    ],
    [
      'an unknown page',
      'not-found',
      { status: 404, code: 'not-found' },
      () => call('GET', '/api/pages/no-such-page'),
    ],
    [
      'a method the API does not serve',
      'not-found',
      { status: 404, code: 'not-found' },
      () => call('PUT', '/api/pages/some-page'),
    ],
    [
      'a malformed page id',
      'bad-request',
      { status: 400, code: 'bad-request' },
      () => call('GET', '/api/pages/not.an.id'),
    ],
    [
      'malformed JSON (the body parser)',
      'bad-request',
      { status: 400, code: 'bad-request' },
      () => call('POST', '/api/pages', { body: '{"route":' }),
    ],
    [
      'an event type the component has no handler for',
      'not-listening',
      { status: 422, code: 'not-listening' },
      () => post('hover', board.cookie, 'mouseenter'),
    ],
    [
      "a message over the board's maxLength",
      'too-large',
      { status: 413, code: 'too-large' },
      () => post('x'.repeat(1001)),
    ],
    [
      "a body over the parser's limit",
      'too-large',
      { status: 413, code: 'too-large' },
      () => post('x'.repeat(1_100_000)),
    ],
    [
      'a change from a page of another origin (the origin guard)',
      'origin',
      { status: 403, code: 'forbidden' },
      () =>
        call('POST', '/api/pages', { body: { route: '/hello' }, origin: 'https://evil.example' }),
    ],
  ];

  it.each(cases)('counts %s once, as %s', async (_what, reason, expected, refuse) => {
    let got: Answer | undefined;
    const added = await refusalsDuring(app, async () => {
      got = await refuse();
    });
    expect(got).toEqual(expected);
    expect(added).toEqual({ [`${reason} http`]: 1 });
  });

  it('counts nothing for requests that are answered', async () => {
    const added = await refusalsDuring(app, async () => {
      expect((await post('a fine message')).status).toBe(200);
      expect(
        (await call('GET', `/api/pages/${board.pageId}`, { cookie: board.cookie })).status,
      ).toBe(200);
    });
    expect(added).toEqual({});
  });
});

describe('REST rate limits in pushpage_refusals_total', () => {
  let app: DemoApp;
  /** A page read by the session-rate test, opened before the page-rate test spends the budget. */
  let hello: { pageId: string; cookie: string };

  beforeAll(async () => {
    // a burst of 30 new pages per address; 40 requests a second per session
    app = await DemoApp.start({
      PUSHPAGE_METRICS_PUBLIC: 'true',
      PUSHPAGE_PAGE_RATE_LIMIT: '1',
      PUSHPAGE_REST_RATE_LIMIT: '40',
    });
    const res = await fetch(`${app.url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/hello' }),
    });
    const { pageId } = (await res.json()) as { pageId: string };
    hello = { pageId, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('counts each page refused to an address once, over REST and as a page load', async () => {
    const answers: Answer[] = [];
    const added = await refusalsDuring(app, async () => {
      const opened = await Promise.all(
        Array.from({ length: 36 }, async () =>
          answer(
            await fetch(`${app.url}/api/pages`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ route: '/hello' }),
            }),
          ),
        ),
      );
      answers.push(...opened, await answer(await fetch(`${app.url}/hello`)));
    });
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status !== 429).every((a) => a.status < 300)).toBe(true);
    expect(added).toEqual({ 'rate-limited http': refused.length });
  });

  it("counts each request over a session's rate once", async () => {
    const { pageId, cookie } = hello;
    const statuses: number[] = [];
    const added = await refusalsDuring(app, async () => {
      const reads = await Promise.all(
        Array.from({ length: 100 }, () =>
          fetch(`${app.url}/api/pages/${pageId}`, { headers: { cookie } }),
        ),
      );
      statuses.push(...reads.map((r) => r.status));
    });
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 200)).toBe(true);
    expect(added).toEqual({ 'rate-limited http': refused });
  });
});
