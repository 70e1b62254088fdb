/**
 * Sessions end: past their maximum age, after the idle limit, for a cookie from before
 * sessions had a lifetime, and a request with two session cookies is refused; on the socket
 * and over REST alike, while a page load starts a new session.
 */
import { createHmac } from 'node:crypto';
import { Socket } from 'socket.io-client';
import { PushpageSessions } from '../../libs/pushpage/src';
import {
  browserLoad,
  BrowserLoad,
  clickableId,
  connectTab,
  DemoApp,
  request,
} from '../support/demo-app';

/** The secret `DemoApp` signs with. */
const SECRET = 'test-secret-0123456789';

type Ack = { ok: true } | { ok: false; error: { code: string; message: string; reason?: string } };

interface ApiError {
  statusCode: number;
  code: string;
  message: string;
  reason?: string;
}

/** The session id in a `pp_session=<id>.<issuedAt>.<signature>` cookie. */
function sessionOf(cookie: string): string {
  return cookie.split('=')[1].split('.')[0];
}

/** A demo app with these settings for the tests of a `describe`. */
function demoApp(env: Record<string, string> = {}): () => DemoApp {
  let app: DemoApp | undefined;
  beforeAll(async () => {
    app = await DemoApp.start(env);
  });
  afterAll(async () => {
    await app?.stop();
  });
  return () => {
    if (!app) throw new Error('the app did not start');
    return app;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

describe('sessions with a lifetime', () => {
  const sockets: Socket[] = [];

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  async function tab(app: DemoApp, cookie: string): Promise<Socket> {
    const socket = connectTab(app.url, cookie);
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  function join(socket: Socket, page: BrowserLoad): Promise<Ack> {
    return request<Ack>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
  }

  function click(socket: Socket, page: BrowserLoad): Promise<Ack> {
    return request<Ack>(socket, 'event', {
      pageId: page.snapshot.pageId,
      componentId: clickableId(page),
      type: 'click',
    });
  }

  async function rest(
    app: DemoApp,
    method: 'GET' | 'POST',
    path: string,
    cookie: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; setCookie: string | null }> {
    const res = await fetch(`${app.url}/api/pages${path}`, {
      method,
      headers: {
        cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      json: text ? (JSON.parse(text) as unknown) : null,
      setCookie: res.headers.get('set-cookie'),
    };
  }

  /** A refusal of the session, as the socket and REST give it. */
  function refused(message: RegExp): { error: Partial<ApiError> } {
    return {
      error: {
        code: 'forbidden',
        reason: 'session-unknown',
        message: expect.stringMatching(message),
      },
    };
  }

  function restRefusal(message: RegExp): { status: number; json: Partial<ApiError> } {
    return {
      status: 403,
      json: {
        statusCode: 403,
        code: 'forbidden',
        reason: 'session-unknown',
        message: expect.stringMatching(message),
      },
    };
  }

  describe('past their maximum age', () => {
    const demo = demoApp({ PUSHPAGE_SESSION_MAX_AGE_MS: '1500' });

    it('are refused on their socket and over REST, however much they are used; a page load starts a new one', async () => {
      const app = demo();
      const started = Date.now();
      const page = await browserLoad(app.url, '/hello');
      expect(page.newSession).toBe(true);
      const socket = await tab(app, page.cookie);
      expect(await join(socket, page)).toEqual({ ok: true });
      // in use all along: the age counts from the start all the same
      while (Date.now() - started < 1000) {
        expect(await click(socket, page)).toMatchObject({ ok: true });
        expect((await rest(app, 'GET', `/${page.snapshot.pageId}`, page.cookie)).status).toBe(200);
        await sleep(200);
      }
      await sleep(started + 1600 - Date.now());

      const tooOld = /session expired \(it is older than the sessions' maximum age\)/;
      expect(await click(socket, page)).toMatchObject({ ok: false, ...refused(tooOld) });
      const again = await tab(app, page.cookie);
      expect(await join(again, page)).toMatchObject({ ok: false, ...refused(tooOld) });
      expect(await rest(app, 'GET', `/${page.snapshot.pageId}`, page.cookie)).toMatchObject(
        restRefusal(tooOld),
      );
      const event = { componentId: clickableId(page), type: 'click' };
      expect(
        await rest(app, 'POST', `/${page.snapshot.pageId}/events`, page.cookie, event),
      ).toMatchObject(restRefusal(tooOld));

      // a page load (and opening a page over the API) starts a new session, which works
      const fresh = await browserLoad(app.url, '/hello', page.cookie);
      expect(fresh.newSession).toBe(true);
      expect(sessionOf(fresh.cookie)).not.toBe(sessionOf(page.cookie));
      const tab2 = await tab(app, fresh.cookie);
      expect(await join(tab2, fresh)).toEqual({ ok: true });
      expect(await click(tab2, fresh)).toMatchObject({ ok: true });
      const opened = await rest(app, 'POST', '', page.cookie, { route: '/hello' });
      expect(opened.status).toBe(201);
      expect(opened.setCookie).toMatch(/^pp_session=/);
      // the old session's page is not the new session's
      expect(await rest(app, 'GET', `/${page.snapshot.pageId}`, fresh.cookie)).toMatchObject({
        status: 403,
        json: { reason: 'other-session' },
      });
    }, 20_000);
  });

  describe('unused for the idle limit', () => {
    const demo = demoApp({ PUSHPAGE_SESSION_IDLE_MS: '1000' });

    it('live on while used over either transport, and are refused on both once unused for the limit', async () => {
      const app = demo();
      const page = await browserLoad(app.url, '/hello');
      const socket = await tab(app, page.cookie);
      expect(await join(socket, page)).toEqual({ ok: true });
      // 2.4 s of use, never 1 s apart: REST reads, then socket events
      for (let i = 0; i < 4; i++) {
        await sleep(300);
        expect((await rest(app, 'GET', `/${page.snapshot.pageId}`, page.cookie)).status).toBe(200);
      }
      for (let i = 0; i < 4; i++) {
        await sleep(300);
        expect(await click(socket, page)).toMatchObject({ ok: true });
      }
      await sleep(1300);

      const idle = /session expired \(it was not used for longer than the sessions' idle limit\)/;
      expect(await click(socket, page)).toMatchObject({ ok: false, ...refused(idle) });
      expect(await rest(app, 'GET', `/${page.snapshot.pageId}`, page.cookie)).toMatchObject(
        restRefusal(idle),
      );
      const again = await tab(app, page.cookie);
      expect(await join(again, page)).toMatchObject({ ok: false, ...refused(idle) });
      // the refusal does not count as a use, and a page load starts over
      const fresh = await browserLoad(app.url, '/hello', page.cookie);
      expect(fresh.newSession).toBe(true);
      expect(sessionOf(fresh.cookie)).not.toBe(sessionOf(page.cookie));
      expect((await rest(app, 'GET', `/${fresh.snapshot.pageId}`, fresh.cookie)).status).toBe(200);
    }, 20_000);
  });

  describe('cookies that are refused as they are', () => {
    const demo = demoApp();

    it('refuses two different pp_session cookies on REST and the socket; a page load sets a fresh session', async () => {
      const app = demo();
      const victim = await browserLoad(app.url, '/hello');
      const planted = await browserLoad(app.url, '/hello');
      const both = `${planted.cookie}; ${victim.cookie}`;
      const ambiguous = /two different pp_session cookies/;

      expect(await rest(app, 'GET', `/${victim.snapshot.pageId}`, both)).toMatchObject(
        restRefusal(ambiguous),
      );
      expect(await rest(app, 'GET', `/${planted.snapshot.pageId}`, both)).toMatchObject(
        restRefusal(ambiguous),
      );
      const event = { componentId: clickableId(victim), type: 'click' };
      expect(
        await rest(app, 'POST', `/${victim.snapshot.pageId}/events`, both, event),
      ).toMatchObject(restRefusal(ambiguous));

      const socket = await tab(app, both);
      expect(await join(socket, victim)).toMatchObject({ ok: false, ...refused(ambiguous) });
      expect(await join(socket, planted)).toMatchObject({ ok: false, ...refused(ambiguous) });
      expect(await click(socket, victim)).toMatchObject({ ok: false, ...refused(ambiguous) });

      // a page load (or opening a page over the API) gets a session of its own
      const fresh = await browserLoad(app.url, '/hello', both);
      expect(fresh.newSession).toBe(true);
      expect([sessionOf(victim.cookie), sessionOf(planted.cookie)]).not.toContain(
        sessionOf(fresh.cookie),
      );
      const opened = await rest(app, 'POST', '', both, { route: '/hello' });
      expect(opened.status).toBe(201);
      expect(opened.setCookie).toMatch(/^pp_session=/);
      expect([victim.cookie, planted.cookie]).not.toContain(opened.setCookie?.split(';')[0]);

      // the same cookie twice is not ambiguous
      const twice = `${victim.cookie}; ${victim.cookie}`;
      expect((await rest(app, 'GET', `/${victim.snapshot.pageId}`, twice)).status).toBe(200);
    });

    it('refuses a cookie from before sessions had a lifetime (no issue time), and replaces it at a page load', async () => {
      const app = demo();
      const page = await browserLoad(app.url, '/hello');
      const id = sessionOf(page.cookie);
      const legacy = `pp_session=${id}.${createHmac('sha256', SECRET).update(id).digest('base64url')}`;
      const before = /cookie was issued before sessions had a lifetime/;
      expect(await rest(app, 'GET', `/${page.snapshot.pageId}`, legacy)).toMatchObject(
        restRefusal(before),
      );
      const socket = await tab(app, legacy);
      expect(await join(socket, page)).toMatchObject({ ok: false, ...refused(before) });
      const fresh = await browserLoad(app.url, '/hello', legacy);
      expect(fresh.newSession).toBe(true);
      expect(sessionOf(fresh.cookie)).not.toBe(id);
      // the cookie the server sets has the issue time
      // the signature is cookie-signature's base64, its + and / escaped in the cookie
      expect(fresh.cookie).toMatch(/^pp_session=[\w-]{22}\.\d{13}\.(?:[A-Za-z0-9]|%2B|%2F){43}$/);
    });
  });

  describe('revoked in a single process (the in-memory store, no adapter)', () => {
    const demo = demoApp();

    it('closes its sockets and refuses it at once, leaving other sessions alone', async () => {
      const app = demo();
      const page = await browserLoad(app.url, '/hello');
      const other = await browserLoad(app.url, '/hello');
      const socket = await tab(app, page.cookie);
      const otherTab = await tab(app, other.cookie);
      expect(await join(socket, page)).toEqual({ ok: true });
      expect(await join(otherTab, other)).toEqual({ ok: true });
      const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

      const sessions = app.app.get(PushpageSessions);
      expect(sessions.sessionIdOf(`theme=dark; ${page.cookie}`)).toBe(sessionOf(page.cookie));
      expect(sessions.sessionIdOf(`${page.cookie}; ${other.cookie}`)).toBeNull();
      await sessions.revoke(sessionOf(page.cookie));

      expect(await closed).toBe('io server disconnect');
      const revoked = /session was revoked/;
      expect(await rest(app, 'GET', `/${page.snapshot.pageId}`, page.cookie)).toMatchObject(
        restRefusal(revoked),
      );
      expect(await join(await tab(app, page.cookie), page)).toMatchObject({
        ok: false,
        ...refused(revoked),
      });
      expect(await click(otherTab, other)).toMatchObject({ ok: true });
      expect((await browserLoad(app.url, '/hello', page.cookie)).newSession).toBe(true);
    });
  });
});
