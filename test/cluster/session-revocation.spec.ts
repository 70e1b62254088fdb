/**
 * Revoking a session on one replica ends it on all of them at once: two built replicas on
 * one Redis, and the app in this process that revokes it (`PushpageSessions.revoke`).
 */
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
import { RedisServer } from '../support/redis-server';
import { Replica, startReplicas } from '../support/replicas';

type Ack = { ok: true } | { ok: false; error: { code: string; message: string; reason?: string } };

const REVOKED = {
  code: 'forbidden',
  reason: 'session-unknown',
  message: expect.stringMatching(/session was revoked/),
};

describe('a revoked session, with two replicas on one Redis', () => {
  let redis: RedisServer;
  let replicas: Replica[] = [];
  let revoker: DemoApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    [replicas, revoker] = await Promise.all([
      startReplicas(2, redis.url),
      DemoApp.start({ REDIS_URL: redis.url }),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await revoker?.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.stop();
  }, 30_000);

  async function joined(url: string, page: BrowserLoad, cookie = page.cookie): Promise<Socket> {
    const socket = connectTab(url, cookie);
    sockets.push(socket);
    const ack = await request<Ack>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    expect(ack).toEqual({ ok: true });
    return socket;
  }

  function click(socket: Socket, page: BrowserLoad): Promise<Ack> {
    return request<Ack>(socket, 'event', {
      pageId: page.snapshot.pageId,
      componentId: clickableId(page),
      type: 'click',
    });
  }

  async function read(url: string, page: BrowserLoad, cookie = page.cookie) {
    const res = await fetch(`${url}/api/pages/${page.snapshot.pageId}`, { headers: { cookie } });
    return { status: res.status, json: res.status === 200 ? null : ((await res.json()) as object) };
  }

  it('is refused at once on every replica, over REST and sockets, and its open sockets are closed', async () => {
    const [one, two] = replicas;
    // the session has a page and a tab on each replica, and each replica has checked it
    const first = await browserLoad(one.url, '/hello');
    const second = await browserLoad(two.url, '/hello', first.cookie);
    expect(second.newSession).toBe(false);
    const tabs = [await joined(one.url, first), await joined(two.url, second)];
    expect(await click(tabs[0], first)).toMatchObject({ ok: true });
    expect(await click(tabs[1], second)).toMatchObject({ ok: true });
    for (const [url, page] of [
      [one.url, first],
      [two.url, second],
    ] as const)
      expect((await read(url, page)).status).toBe(200);
    // another session, on both replicas, that must not notice anything
    const bystander = await browserLoad(two.url, '/hello');
    const bystanderTab = await joined(one.url, bystander);
    const closed = tabs.map(
      (socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)),
    );

    const sessions = revoker.app.get(PushpageSessions);
    const sessionId = sessions.sessionIdOf(first.cookie);
    expect(sessionId).toBe(first.cookie.split('=')[1].split('.')[0]);
    await sessions.revoke(sessionId as string);

    // when revoke() resolves, both replicas have closed the session's sockets...
    const reasons = await Promise.race([
      Promise.all(closed),
      new Promise<string[]>((resolve) => setTimeout(() => resolve(['not closed']), 2000)),
    ]);
    expect(reasons).toEqual(['io server disconnect', 'io server disconnect']);
    // ...and refuse it: REST reads and events on every replica, and on the one that revoked
    for (const [url, page] of [
      [one.url, first],
      [two.url, second],
      [revoker.url, first],
    ] as const) {
      expect(await read(url, page)).toEqual({ status: 403, json: { statusCode: 403, ...REVOKED } });
      const event = await fetch(`${url}/api/pages/${page.snapshot.pageId}/events`, {
        method: 'POST',
        headers: { cookie: page.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ componentId: clickableId(page), type: 'click' }),
      });
      expect(event.status).toBe(403);
    }
    // a tab that reconnects is refused at its join, on either replica
    for (const [url, page] of [
      [one.url, first],
      [two.url, second],
    ] as const) {
      const socket = connectTab(url, page.cookie);
      sockets.push(socket);
      const ack = await request<Ack>(socket, 'join', {
        pageId: page.snapshot.pageId,
        versions: page.snapshot.versions,
      });
      expect(ack).toEqual({ ok: false, error: REVOKED });
    }

    // the other session goes on
    expect(bystanderTab.connected).toBe(true);
    expect(await click(bystanderTab, bystander)).toMatchObject({ ok: true });
    expect((await read(two.url, bystander)).status).toBe(200);
    // and a page load with the revoked cookie starts a new session
    const fresh = await browserLoad(two.url, '/hello', first.cookie);
    expect(fresh.newSession).toBe(true);
    expect(fresh.cookie.split('.')[0]).not.toBe(first.cookie.split('.')[0]);
    await joined(one.url, fresh);
  }, 30_000);
});
