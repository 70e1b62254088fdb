/**
 * The Origin check against the configured public origins (DNS rebinding, scheme), the headers
 * of every response, and who may read `/metrics`: against the demo, over real HTTP and
 * Socket.IO.
 */
import { request as httpRequest } from 'node:http';
import { io, Socket } from 'socket.io-client';
import { DemoApp, loadPage } from '../support/demo-app';
import { freePort } from '../support/ports';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request with exactly the headers given (fetch would not send another `Host`). */
function send(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A Socket.IO connection attempt with these handshake headers: `connected` or the refusal. */
async function connect(app: DemoApp, headers: Record<string, string>): Promise<string> {
  const socket: Socket = io(app.url, {
    path: '/pushpage/socket.io',
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: headers,
  });
  try {
    return await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (e) => resolve(`refused: ${e.message}`));
    });
  } finally {
    socket.disconnect();
  }
}

/** A REST change (open a page) from a page of `origin`, the request naming `host`. */
function openPage(app: DemoApp, origin: string, host?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', origin };
  if (host) headers.host = host;
  return send(`${app.url}/api/pages`, 'POST', headers, JSON.stringify({ route: '/hello' }));
}

describe('the Origin check: scheme, host and port against the public origins, never the Host header', () => {
  let app: DemoApp;
  let port: string;

  beforeAll(async () => {
    app = await DemoApp.start(); // development: the demo's own origins from HOST and PORT
    port = new URL(app.url).port;
  });
  afterAll(() => app?.stop());

  it('refuses a rebinding page (Origin and Host both another name) for a socket and a REST change', async () => {
    const evil = `http://evil.example:${port}`;
    const host = `evil.example:${port}`;
    expect(await connect(app, { origin: evil, host })).toMatch(/^refused/);
    const post = await openPage(app, evil, host);
    expect(post.status).toBe(403);
    expect(JSON.parse(post.body)).toMatchObject({ code: 'forbidden' });
  });

  it('refuses an https page on this http server, even with the same host and port', async () => {
    const origin = `https://127.0.0.1:${port}`;
    expect(await connect(app, { origin })).toMatch(/^refused/);
    expect((await openPage(app, origin)).status).toBe(403);
  });

  it('accepts the public origins (127.0.0.1 and localhost on its port), and clients without Origin', async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      expect(await connect(app, { origin })).toBe('connected');
      expect((await openPage(app, origin)).status).toBe(201);
    }
    expect(await connect(app, {})).toBe('connected');
    const post = await send(
      `${app.url}/api/pages`,
      'POST',
      { 'content-type': 'application/json' },
      JSON.stringify({ route: '/hello' }),
    );
    expect(post.status).toBe(201);
  });

  it('with PUSHPAGE_PUBLIC_ORIGINS, accepts exactly those and refuses the address it listens on', async () => {
    const configured = await DemoApp.start({ PUSHPAGE_PUBLIC_ORIGINS: 'https://app.example.com' });
    try {
      expect(await connect(configured, { origin: 'https://app.example.com' })).toBe('connected');
      expect((await openPage(configured, 'https://app.example.com')).status).toBe(201);
      expect((await openPage(configured, 'http://app.example.com')).status).toBe(403);
      expect(await connect(configured, { origin: configured.url })).toMatch(/^refused/);
      expect((await openPage(configured, configured.url)).status).toBe(403);
    } finally {
      await configured.stop();
    }
  });
});

describe('headers of every response', () => {
  let app: DemoApp;

  beforeAll(async () => {
    app = await DemoApp.start();
  });
  afterAll(() => app?.stop());

  it('sends nosniff and no X-Powered-By on REST JSON, assets, pages, errors and 404s', async () => {
    const page = await loadPage(app.url, '/hello');
    const answers = {
      'REST read': await send(`${app.url}/api/pages/${page.snapshot.pageId}`, 'GET', {
        cookie: page.cookie,
      }),
      'REST 404': await send(`${app.url}/api/pages/no-such-page`, 'GET'),
      'REST 403': await openPage(app, 'https://evil.example'),
      'REST bad JSON': await send(
        `${app.url}/api/pages`,
        'POST',
        { 'content-type': 'application/json' },
        '{',
      ),
      asset: await send(`${app.url}/pushpage/static/pushpage.css`, 'GET'),
      'missing asset': await send(`${app.url}/pushpage/static/no-such-file.js`, 'GET'),
      page: await send(`${app.url}/hello`, 'GET'),
      '404': await send(`${app.url}/no-such-path`, 'GET'),
      'OpenAPI document': await send(`${app.url}/api/docs-json`, 'GET'),
    };
    const seen = Object.entries(answers).map(([what, answer]) => ({
      what,
      nosniff: answer.headers['x-content-type-options'],
      poweredBy: answer.headers['x-powered-by'],
    }));
    expect(seen).toEqual(
      Object.keys(answers).map((what) => ({ what, nosniff: 'nosniff', poweredBy: undefined })),
    );
    expect(answers['REST read'].status).toBe(200);
    expect(answers['REST read'].headers['content-type']).toMatch(/^application\/json/);
    expect(answers.asset.status).toBe(200);
    expect(answers['404'].status).toBe(404);
    expect(answers.page.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('/metrics', () => {
  const TOKEN = 'metrics-token-0123456789abcdef';

  it('is not served without a setting', async () => {
    const app = await DemoApp.start();
    try {
      expect((await send(`${app.url}/metrics`, 'GET')).status).toBe(404);
    } finally {
      await app.stop();
    }
  });

  it('with PUSHPAGE_METRICS_TOKEN, answers 401 without the bearer token or with another', async () => {
    const app = await DemoApp.start({ PUSHPAGE_METRICS_TOKEN: TOKEN });
    try {
      const without = await send(`${app.url}/metrics`, 'GET');
      expect(without.status).toBe(401);
      expect(without.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(without.body).not.toContain('pushpage_');
      for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN]) {
        expect((await send(`${app.url}/metrics`, 'GET', { authorization })).status).toBe(401);
      }
      const scraped = await send(`${app.url}/metrics`, 'GET', { authorization: `Bearer ${TOKEN}` });
      expect(scraped.status).toBe(200);
      expect(scraped.body).toContain('pushpage_refusals_total');
    } finally {
      await app.stop();
    }
  });

  it('with PUSHPAGE_METRICS_PORT, serves it there only', async () => {
    const metricsPort = await freePort();
    const app = await DemoApp.start({ PUSHPAGE_METRICS_PORT: String(metricsPort) });
    try {
      expect((await send(`${app.url}/metrics`, 'GET')).status).toBe(404);
      const scraped = await send(`http://127.0.0.1:${metricsPort}/metrics`, 'GET');
      expect(scraped.status).toBe(200);
      expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
      expect(scraped.headers['x-content-type-options']).toBe('nosniff');
      expect(scraped.body).toContain('pushpage_connected_tabs');
      expect((await send(`http://127.0.0.1:${metricsPort}/hello`, 'GET')).status).toBe(404);
    } finally {
      await app.stop();
    }
    // closed with the app
    await expect(send(`http://127.0.0.1:${metricsPort}/metrics`, 'GET')).rejects.toThrow();
  });
});
