/**
 * Session secrets: replicas on one Redis agree on one without configuration, a configured list
 * rotates, production refuses to start without one, and messages name the app's own setting.
 */
import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Redis } from 'ioredis';
import { resolveOptions, PushpageModuleOptions } from '../../libs/pushpage/src/options';
import { SessionService } from '../../libs/pushpage/src/sessions/session.service';
import { MemoryStore } from '../../libs/pushpage/src/store/memory/memory-store';
import { RedisStore } from '../../libs/pushpage/src/store/redis/redis-store';
import { PushpageStore } from '../../libs/pushpage/src/store/store';
import { RedisServer } from '../support/redis-server';

/** Lines the Pushpage logger logs (log and warn) from now until the test ends. */
function captureLogs(): string[] {
  const logged: string[] = [];
  const capture = (message: unknown) => {
    logged.push(String(message));
  };
  jest.spyOn(Logger.prototype, 'log').mockImplementation(capture);
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(capture);
  return logged;
}

/** A started session service, as the module makes one. */
async function sessionService(
  store: PushpageStore,
  options: PushpageModuleOptions,
): Promise<SessionService> {
  const sessions = new SessionService(resolveOptions(options), store);
  await sessions.onModuleInit();
  return sessions;
}

/** The cookie a visitor (with the cookie it sends, if any) gets from `sessions`, as a `Cookie` header. */
async function newVisitorCookie(
  sessions: SessionService,
  sent?: string,
): Promise<{ id: string; cookie: string }> {
  let setCookie = '';
  const res = { setHeader: (_name: string, value: string) => (setCookie = value) };
  const req = { headers: sent ? { cookie: sent } : {} } as Request;
  const id = await sessions.sessionOf(req, res as unknown as Response);
  return { id, cookie: setCookie.split(';')[0] };
}

describe('session secrets', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });

  function redisStore(): RedisStore {
    const client = new Redis(redis.url);
    clients.push(client);
    return new RedisStore(client, 'sessions-test:', false);
  }

  it('are agreed through a shared Redis when none is configured: one replica creates it, the others read it', async () => {
    const logged = captureLogs();
    const options = { redisUrl: redis.url, keyPrefix: 'sessions-test:' };
    const started = await Promise.all([1, 2, 3].map(() => sessionService(redisStore(), options)));
    const { id, cookie } = await newVisitorCookie(started[0]);
    for (const sessions of started) expect(sessions.fromCookieHeader(cookie)).toBe(id);
    // one line per replica, naming the setting to configure
    expect(logged).toHaveLength(3);
    expect(logged.filter((l) => /created in the shared store/.test(l))).toHaveLength(1);
    expect(logged.filter((l) => /read from the shared store/.test(l))).toHaveLength(2);
    for (const line of logged)
      expect(line).toMatch(/^the sessionSecret option of PushpageModule is not set/);
    // a replica started later reads the same secret
    const later = await sessionService(redisStore(), options);
    expect(later.fromCookieHeader(cookie)).toBe(id);
  });

  it('are per process on the in-memory store, with a warning naming the app’s setting', async () => {
    const logged = captureLogs();
    const a = await sessionService(new MemoryStore(), {
      settingNames: { sessionSecret: 'MY_APP_SECRET' },
    });
    expect(logged).toEqual([
      expect.stringMatching(/^MY_APP_SECRET is not set: .*random secret of this process/),
    ]);
    const b = await sessionService(new MemoryStore(), {});
    const { cookie } = await newVisitorCookie(a);
    // another process does not recognise it, and gives the visitor a new session instead
    expect(b.fromCookieHeader(cookie)).toBeNull();
    const again = await newVisitorCookie(b, cookie);
    expect(again.cookie).not.toBe(cookie);
    expect(b.fromCookieHeader(again.cookie)).toBe(again.id);
  });

  it('rotate: cookies of the previous secret stay valid while new ones are signed with the new one', async () => {
    const logged = captureLogs();
    const old = await sessionService(new MemoryStore(), {
      sessionSecret: 'previous-secret-0123456789',
    });
    const rotated = await sessionService(new MemoryStore(), {
      sessionSecret: ['current-secret-0123456789', 'previous-secret-0123456789'],
    });
    const before = await newVisitorCookie(old);
    expect(rotated.fromCookieHeader(before.cookie)).toBe(before.id);
    const after = await newVisitorCookie(rotated);
    expect(old.fromCookieHeader(after.cookie)).toBeNull();
    const next = await sessionService(new MemoryStore(), {
      sessionSecret: 'current-secret-0123456789',
    });
    expect(next.fromCookieHeader(after.cookie)).toBe(after.id);
    // a configured secret is used as it is: nothing is agreed or logged
    expect(logged).toEqual([]);
  });

  it('are required in production, naming the setting the app uses', () => {
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(
        () => new SessionService(resolveOptions({ redisUrl: redis.url }), redisStore()),
      ).toThrow(/^the sessionSecret option of PushpageModule is required in production/);
      expect(
        () =>
          new SessionService(
            resolveOptions({ settingNames: { sessionSecret: 'MY_APP_SECRET' } }),
            new MemoryStore(),
          ),
      ).toThrow(/^MY_APP_SECRET is required in production/);
    } finally {
      process.env.NODE_ENV = env;
    }
  });
});
