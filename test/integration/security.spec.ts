import { io, Socket } from 'socket.io-client';
import { DEFAULT_CONTENT_SECURITY_POLICY, PageSnapshot } from '../../libs/pushpage/src';
import { PUSHPAGE_STORE, PushpageStore } from '../../libs/pushpage/src/store/store';
import {
  boardOverRest,
  connectTab,
  DemoApp,
  loadPage,
  LoadedPage,
  request,
  viewNodes,
} from '../support/demo-app';
import { waitFor } from '../support/ports';

// floods of joins, page loads and messages against an app in this process: seconds each on
// a busy machine (what they assert counts refusals, never time)
jest.setTimeout(30_000);

type Ack = { ok: true } | { ok: false; error: { code: string; message: string } };

function idOf(page: LoadedPage, tag: string): string {
  const node = page.snapshot.nodes.find((n) => n.t === tag);
  if (!node) throw new Error(`no <${tag}> on the page`);
  return node.i;
}

/** Every stored record of a page, to compare before and after a refused message. */
async function stored(app: DemoApp, snapshot: PageSnapshot): Promise<string> {
  const store = app.app.get<PushpageStore>(PUSHPAGE_STORE);
  return JSON.stringify(await store.load([snapshot.pageId], 'tree'));
}

describe('refusals: every unauthorized or oversized message gets a clear error and changes nothing', () => {
  let app: DemoApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    app = await DemoApp.start({
      PUSHPAGE_SOCKET_RATE_LIMIT: '10',
      PUSHPAGE_MAX_PAGES_PER_SESSION: '3',
      PUSHPAGE_ALLOWED_ORIGINS: 'https://partner.example',
      PUSHPAGE_METRICS_PUBLIC: 'true', // the rate-limit test reads the refusal count
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.stop();
  });

  async function joined(page: LoadedPage, cookie = page.cookie): Promise<Socket> {
    const socket = connectTab(app.url, cookie);
    sockets.push(socket);
    const ack = await request<Ack>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    expect(ack.ok).toBe(true);
    return socket;
  }

  function send(socket: Socket, page: LoadedPage, body: Record<string, unknown>): Promise<Ack> {
    return request<Ack>(socket, 'event', { pageId: page.snapshot.pageId, ...body });
  }

  it("refuses another session's page: join, event and REST read", async () => {
    const mine = await loadPage(app.url, '/message-board');
    const theirs = await loadPage(app.url, '/message-board');
    const socket = connectTab(app.url, mine.cookie);
    sockets.push(socket);
    const before = await stored(app, theirs.snapshot);
    const join = await request<Ack>(socket, 'join', { pageId: theirs.snapshot.pageId });
    expect(join).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const event = await send(socket, theirs, {
      componentId: idOf(theirs, 'button'),
      type: 'click',
      values: [{ id: idOf(theirs, 'textarea'), value: 'not mine' }],
    });
    expect(event).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const read = await fetch(`${app.url}/api/pages/${theirs.snapshot.pageId}`, {
      headers: { cookie: mine.cookie },
    });
    expect(read.status).toBe(403);
    expect(await stored(app, theirs.snapshot)).toBe(before);
  });

  it('refuses a component of another page, and an event type the component has no handler for', async () => {
    const page = await loadPage(app.url, '/message-board');
    const other = await loadPage(app.url, '/message-board', page.cookie);
    const socket = await joined(page);
    const before = await stored(app, other.snapshot);
    const foreign = await send(socket, page, { componentId: idOf(other, 'button'), type: 'click' });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await stored(app, other.snapshot)).toBe(before);
    const unbound = await send(socket, page, {
      componentId: idOf(page, 'button'),
      type: 'mouseenter',
    });
    expect(unbound).toMatchObject({ ok: false, error: { code: 'not-listening' } });
  });

  it('closes a socket that sends a message over the size limit, and refuses a body over it', async () => {
    const page = await loadPage(app.url, '/message-board');
    const socket = await joined(page);
    const before = await stored(app, page.snapshot);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('event', {
      pageId: page.snapshot.pageId,
      componentId: idOf(page, 'button'),
      type: 'click',
      values: [{ id: idOf(page, 'textarea'), value: 'x'.repeat(1_200_000) }],
    });
    expect(await closed).toBe('transport close');
    expect(await stored(app, page.snapshot)).toBe(before);

    const res = await fetch(`${app.url}/api/pages/${page.snapshot.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: page.cookie },
      body: JSON.stringify({ componentId: 'x', type: 'click', value: 'y'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'too-large' });
  });

  it('refuses a flood of events from one tab with rate-limited, and counts it', async () => {
    const page = await loadPage(app.url, '/hello');
    const socket = await joined(page);
    const hello = page.snapshot.nodes.find((n) => n.e?.includes('click'));
    const acks = await Promise.all(
      Array.from({ length: 60 }, () =>
        send(socket, page, { componentId: hello?.i, type: 'click' }),
      ),
    );
    const limited = acks.filter((a) => !a.ok && a.error.code === 'rate-limited');
    const applied = acks.filter((a) => a.ok);
    // a burst of twice the rate passes (the join took one message of it), the rest is refused
    expect(applied.length).toBeGreaterThanOrEqual(20 - 1);
    expect(limited.length).toBeGreaterThan(0);
    expect(applied.length + limited.length).toBe(60);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /pushpage_refusals_total\{reason="rate-limited",transport="socket"\} \d+/,
    );
  });

  it('paces joins: 2,000 on one socket are mostly refused, and only a few get a whole page', async () => {
    const page = await loadPage(app.url, '/hello');
    const socket = connectTab(app.url, page.cookie);
    sockets.push(socket);
    const started = Date.now();
    const acks = await Promise.all(
      Array.from({ length: 2000 }, () =>
        request<Ack & { snapshot?: PageSnapshot }>(socket, 'join', {
          pageId: page.snapshot.pageId,
        }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const snapshots = acks.filter((a) => a.ok && a.snapshot).length;
    const limited = acks.filter((a) => !a.ok && a.error.code === 'rate-limited').length;
    console.log(`2,000 joins in ${seconds} s: ${snapshots} whole pages, ${limited} refused`);
    // PUSHPAGE_SOCKET_RATE_LIMIT is 10 here: 20 joins in each 2-second window; whole pages:
    // a twentieth of that, 3 in each 5-second window
    expect(acks.filter((a) => a.ok).length).toBeLessThanOrEqual(20 * Math.ceil(seconds / 2 + 1));
    expect(snapshots).toBeLessThanOrEqual(3 * Math.ceil(seconds / 5 + 1));
    expect(limited).toBe(2000 - acks.filter((a) => a.ok).length);
    // a tab that is current is answered with nothing to apply, and stays joined
    await new Promise((r) => setTimeout(r, 2100)); // the next window of messages
    const current = await request<Ack & { snapshot?: PageSnapshot }>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    expect(current).toEqual({ ok: true });
  });

  it('refuses websockets and REST changes from pages of other origins', async () => {
    const page = await loadPage(app.url, '/message-board');
    const evil = io(app.url, {
      path: '/pushpage/socket.io',
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: page.cookie, origin: 'https://evil.example' },
    });
    sockets.push(evil);
    const refused = await new Promise<string>((resolve) => {
      evil.once('connect', () => resolve('connected'));
      evil.once('connect_error', (e) => resolve(`refused: ${e.message}`));
    });
    expect(refused).toMatch(/^refused/);

    const partner = io(app.url, {
      path: '/pushpage/socket.io',
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: page.cookie, origin: 'https://partner.example' },
    });
    sockets.push(partner);
    await waitFor('the allowed origin to connect', async () => partner.connected);

    const post = (origin: string) =>
      fetch(`${app.url}/api/pages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ route: '/hello' }),
      });
    const forged = await post('https://evil.example');
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 'forbidden' });
    expect((await post(app.url)).status).toBe(201);
  });

  it('refuses more pages than a session may hold', async () => {
    const first = await loadPage(app.url, '/hello');
    await loadPage(app.url, '/hello', first.cookie);
    await loadPage(app.url, '/hello', first.cookie);
    const fourth = await fetch(`${app.url}/hello`, { headers: { cookie: first.cookie } });
    expect(fourth.status).toBe(429);
    expect(await fourth.text()).toMatch(/3 pages open/);
    // shared pages do not count
    expect((await fetch(`${app.url}/clock`, { headers: { cookie: first.cookie } })).status).toBe(
      200,
    );
  });

  it('serves pages under a Content-Security-Policy without inline or eval script', async () => {
    const res = await fetch(`${app.url}/message-board`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    // helmet writes the policy: every directive of the default, none added or loosened
    const directives = (policy: string) =>
      policy
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .sort();
    expect(directives(csp)).toEqual(directives(DEFAULT_CONTENT_SECURITY_POLICY));
    expect({
      referrer: res.headers.get('referrer-policy'),
      frames: res.headers.get('x-frame-options'),
      opener: res.headers.get('cross-origin-opener-policy'),
      resource: res.headers.get('cross-origin-resource-policy'),
      // the domain's decision, made where TLS ends
      hsts: res.headers.get('strict-transport-security'),
      poweredBy: res.headers.get('x-powered-by'),
    }).toEqual({
      referrer: 'same-origin',
      frames: 'SAMEORIGIN',
      opener: 'same-origin',
      resource: 'same-origin',
      hsts: null,
      poweredBy: null,
    });
  });
});

describe('the tree size limit', () => {
  let app: DemoApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    app = await DemoApp.start({ PUSHPAGE_MAX_CHILDREN: '3' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.stop();
  });

  it('refuses a message that would grow the board past the limit, and changes nothing', async () => {
    const page = await loadPage(app.url, '/message-board');
    const socket = connectTab(app.url, page.cookie);
    sockets.push(socket);
    await request(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    const say = (text: string) =>
      request<Ack>(socket, 'event', {
        pageId: page.snapshot.pageId,
        componentId: idOf(page, 'button'),
        type: 'click',
        values: [{ id: idOf(page, 'textarea'), value: text }],
      });
    // the welcome message and two more fill the board
    expect(await say('one')).toMatchObject({ ok: true });
    expect(await say('two')).toMatchObject({ ok: true });
    // the board is refused the new message (the text typed into the textarea is kept)
    const store = app.app.get<PushpageStore>(PUSHPAGE_STORE);
    const boardId = page.snapshot.nodes.find(
      (n) => typeof n.p.classes === 'string' && n.p.classes.includes('overflow-auto'),
    )?.i as string;
    const board = async () => JSON.stringify(await store.load([boardId], 'tree'));
    const before = await board();
    const third = await say('three');
    expect(third).toMatchObject({ ok: false, error: { code: 'too-large' } });
    if (!third.ok) expect(third.error.message).toMatch(/at most 3 children/);
    expect(await board()).toBe(before);
  });
});

describe('the per-address page limit', () => {
  const apps: DemoApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
  });

  async function loads(app: DemoApp, count: number, headers: (i: number) => HeadersInit) {
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const res = await fetch(`${app.url}/message-board`, { headers: headers(i) });
        await res.arrayBuffer();
        return { status: res.status, retryAfter: res.headers.get('retry-after') };
      }),
    );
    return { statuses, seconds: (Date.now() - started) / 1000 };
  }

  it('holds back 300 cookie-less page loads from one address, whatever X-Forwarded-For says', async () => {
    const app = await DemoApp.start({
      PUSHPAGE_PAGE_RATE_LIMIT: '2',
      PUSHPAGE_METRICS_PUBLIC: 'true',
    });
    apps.push(app);
    const { statuses, seconds } = await loads(app, 300, (i) => ({
      'x-forwarded-for': `203.0.113.${i % 250}`,
    }));
    const made = statuses.filter((s) => s.status === 200).length;
    const limited = statuses.filter((s) => s.status === 429);
    console.log(`300 cookie-less loads in ${seconds} s: ${made} pages, ${limited.length} refused`);
    // 60 in a 30-second window (from the first load), which these loads do not leave
    expect(made).toBe(60);
    expect(made + limited.length).toBe(300);
    // the seconds until the window starts again
    expect(Number(limited[0].retryAfter)).toBeGreaterThanOrEqual(30 - Math.ceil(seconds));
    expect(Number(limited[0].retryAfter)).toBeLessThanOrEqual(30);
    // the REST API draws on the same budget, spent for this window
    const api = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${app.url}/api/pages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ route: '/hello' }),
        }),
      ),
    );
    const refused = api.filter((res) => res.status === 429);
    expect(refused.length).toBe(10);
    expect(await refused[0].json()).toMatchObject({ code: 'rate-limited' });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /pushpage_refusals_total\{reason="rate-limited",transport="http"\} \d+/,
    );
  });

  it('counts each client behind a trusted proxy by its own address', async () => {
    const app = await DemoApp.start({
      PUSHPAGE_PAGE_RATE_LIMIT: '1',
      PUSHPAGE_TRUST_PROXY: 'loopback',
    });
    apps.push(app);
    const { statuses } = await loads(app, 100, (i) => ({ 'x-forwarded-for': `203.0.113.${i}` }));
    expect(statuses.every((s) => s.status === 200)).toBe(true);
  });
});

describe('behind a TLS-terminating proxy (trust proxy)', () => {
  const apps: DemoApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
  });

  /** Statuses of `count` cookie-less REST reads at once, each from its own forwarded address. */
  async function reads(app: DemoApp, count: number): Promise<number[]> {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const res = await fetch(`${app.url}/api/pages/nosuchpage${i}`, {
          headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
  }

  it('gives each forwarded client its own REST rate-limit budget when the proxy is trusted', async () => {
    const app = await DemoApp.start({ PUSHPAGE_REST_RATE_LIMIT: '5', PUSHPAGE_TRUST_PROXY: '1' });
    apps.push(app);
    const statuses = await reads(app, 60);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
  });

  it('counts every client as the proxy, one budget, when it is not trusted', async () => {
    const app = await DemoApp.start({ PUSHPAGE_REST_RATE_LIMIT: '5' });
    apps.push(app);
    const statuses = await reads(app, 60);
    // 5 a second: the 60 may straddle a window or two
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(45);
  });

  it('does not let a made-up session cookie buy a fresh budget', async () => {
    const app = await DemoApp.start({ PUSHPAGE_REST_RATE_LIMIT: '5' });
    apps.push(app);
    const statuses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const res = await fetch(`${app.url}/api/pages/nosuchpage`, {
          headers: { cookie: `pp_session=forged${i}.1.x` },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(45);
  });

  it('marks the session cookie Secure when the request came over HTTPS, and only then', async () => {
    const trusting = await DemoApp.start({ PUSHPAGE_TRUST_PROXY: 'loopback' });
    const unaware = await DemoApp.start();
    apps.push(trusting, unaware);
    const setCookie = async (app: DemoApp, headers: HeadersInit): Promise<string> => {
      const res = await fetch(`${app.url}/hello`, { headers });
      await res.arrayBuffer();
      return res.headers.get('set-cookie') ?? '';
    };
    const https = { 'x-forwarded-proto': 'https' };
    expect(await setCookie(trusting, https)).toMatch(
      /^pp_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(await setCookie(trusting, {})).not.toMatch(/Secure/);
    // a client's own X-Forwarded-Proto counts for nothing without a trusted proxy
    expect(await setCookie(unaware, https)).not.toMatch(/Secure/);
  });
});

describe('the message board, flooded', () => {
  let app: DemoApp;
  beforeAll(async () => {
    app = await DemoApp.start({ PUSHPAGE_REST_RATE_LIMIT: '100000', DEMO_BOARD_MESSAGES: '200' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const openBoard = () => boardOverRest(app.url);

  it('refuses 500 KB messages from four sessions, and stays small', async () => {
    const before = (await (await fetch(`${app.url}/message-board`)).text()).length;
    const huge = 'x'.repeat(500 * 1024);
    for (let session = 0; session < 4; session++) {
      const { post } = await openBoard();
      for (let i = 0; i < 10; i++) {
        expect(await post(huge)).toMatchObject({ status: 413, body: { code: 'too-large' } });
      }
    }
    const after = (await (await fetch(`${app.url}/message-board`)).text()).length;
    expect(after).toBeLessThan(before + 10_000);
  });

  it('keeps the newest 200 messages (trimmed in batches of 20), newest first', async () => {
    const { post } = await openBoard();
    for (let i = 1; i <= 240; i++) expect((await post(`message ${i}`)).status).toBe(200);
    const { view } = await openBoard();
    const texts = viewNodes(view.tree)
      .filter((n) => n.tag === 'pre')
      .map((n) => String(n.props.text));
    expect(texts.length).toBeGreaterThanOrEqual(200);
    expect(texts.length).toBeLessThanOrEqual(220);
    expect(texts[0]).toBe('message 240');
    expect(texts).toContain('message 41');
    expect(texts).not.toContain('message 1');
  }, 60_000);
});

describe('the byte budget of a page or shared element (maxScopeBytes)', () => {
  let app: DemoApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    app = await DemoApp.start({
      PUSHPAGE_REST_RATE_LIMIT: '100000',
      DEMO_BOARD_MESSAGES: '1000000',
      PUSHPAGE_MAX_SCOPE_BYTES: '30000',
      PUSHPAGE_SOCKET_RATE_LIMIT: '100000',
      PUSHPAGE_METRICS_PUBLIC: 'true',
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.stop();
  });

  it('refuses a message that would take the board past it, over REST and socket, changing nothing', async () => {
    const page = await loadPage(app.url, '/message-board');
    const socket = connectTab(app.url, page.cookie);
    sockets.push(socket);
    await request<Ack>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    const post = (text: string) =>
      request<Ack>(socket, 'event', {
        pageId: page.snapshot.pageId,
        componentId: idOf(page, 'button'),
        type: 'click',
        values: [{ id: idOf(page, 'textarea'), value: text }],
      });
    const message = 'x'.repeat(900);
    let accepted = 0;
    let refusal: Ack | undefined;
    for (let i = 0; i < 100 && !refusal; i++) {
      const ack = await post(message);
      if (ack.ok) accepted++;
      else refusal = ack;
    }
    // 30,000 bytes hold about 30 messages of 900 characters
    expect(accepted).toBeGreaterThan(20);
    expect(accepted).toBeLessThan(34);
    expect(refusal).toMatchObject({
      ok: false,
      error: { code: 'too-large', message: expect.stringMatching(/maxScopeBytes/) },
    });

    const before = await stored(app, page.snapshot);
    expect(await post(message)).toMatchObject({ ok: false, error: { code: 'too-large' } });
    const rest = await fetch(`${app.url}/api/pages/${page.snapshot.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: page.cookie },
      body: JSON.stringify({
        componentId: idOf(page, 'button'),
        type: 'click',
        values: [{ id: idOf(page, 'textarea'), value: message }],
      }),
    });
    expect(rest.status).toBe(413);
    expect(await rest.json()).toMatchObject({ code: 'too-large' });
    expect(await stored(app, page.snapshot)).toBe(before);

    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /pushpage_refusals_total\{reason="too-large",transport="socket"\} [1-9]/,
    );
    expect(metrics).toMatch(/pushpage_commits_total\{result="too-large"\} [1-9]/);
  });
});
