/**
 * The session cookie: `<id>.<issuedAt>.<signature>`, read with its maximum age, refused when
 * ambiguous or from before sessions had a lifetime; and how one replica tracks idle and
 * revoked sessions without a store round trip per message.
 */
import { createHmac } from 'node:crypto';
import {
  readCookies,
  readSession,
  sessionCookieHeader,
  SessionSigner,
} from '../../../libs/pushpage/src/sessions/session';
import {
  SESSION_RECHECK_MS,
  SessionActivity,
} from '../../../libs/pushpage/src/sessions/session-activity';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';
import { PushpageStore } from '../../../libs/pushpage/src/store/store';

const SECRET = '0123456789abcdef0123';
const signer = new SessionSigner([SECRET]);
const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2030, 0, 1);

/** A cookie of the format before sessions had a lifetime: `<id>.<HMAC of the id>`. */
function legacyCookie(id: string, secret = SECRET): string {
  return `${id}.${createHmac('sha256', secret).update(id).digest('base64url')}`;
}

describe('the session cookie', () => {
  it('is <id>.<issuedAt>.<signature>: 128 random bits, ms since the epoch, HMAC-SHA256 (cookie-signature)', () => {
    const id = signer.newSessionId();
    const value = signer.sign(id, T0);
    expect(value).toMatch(/^[A-Za-z0-9_-]{22}\.\d{13}\.[A-Za-z0-9+/]{43}$/);
    expect(value.split('.')[1]).toBe(String(T0));
    const mac = createHmac('sha256', SECRET).update(`${id}.${T0}`).digest('base64');
    expect(value).toBe(`${id}.${T0}.${mac.replace(/=+$/, '')}`);
    expect(signer.verify(value)).toEqual({ id, issuedAt: T0 });
  });

  it('still verifies cookies signed before cookie-signature (the same HMAC in base64url)', () => {
    const id = signer.newSessionId();
    const mac = createHmac('sha256', SECRET).update(`${id}.${T0}`).digest('base64url');
    expect(signer.verify(`${id}.${T0}.${mac}`)).toEqual({ id, issuedAt: T0 });
    const other = createHmac('sha256', 'another-secret-0123456').update(`${id}.${T0}`);
    expect(signer.verify(`${id}.${T0}.${other.digest('base64url')}`)).toBeNull();
  });

  it('verifies its own signature and nothing else: another id, issue time or secret fails', () => {
    const id = signer.newSessionId();
    const [, issuedAt, mac] = signer.sign(id, T0).split('.');
    expect(signer.verify(`${id}x.${issuedAt}.${mac}`)).toBeNull();
    // a later issue time would make an old session young again
    expect(signer.verify(`${id}.${T0 + DAY}.${mac}`)).toBeNull();
    expect(signer.verify(`${id}.${issuedAt}.${mac}x`)).toBeNull();
    expect(new SessionSigner(['another-secret-0123456']).verify(signer.sign(id, T0))).toBeNull();
    for (const odd of [undefined, '', 'garbage', `${id}..${mac}`, `${id}.1.2.${mac}`, `.${T0}.x`])
      expect(signer.verify(odd)).toBeNull();
    expect(signer.verify(`${id}.-5.${mac}`)).toBeNull();
  });

  it('tells a cookie from before sessions had a lifetime (`<id>.<signature>`) when its signature matches', () => {
    const id = signer.newSessionId();
    expect(signer.verify(legacyCookie(id))).toBe('legacy');
    expect(signer.verify(legacyCookie(id, 'another-secret-0123456'))).toBeNull();
    expect(signer.verify(`${id}.forged`)).toBeNull();
  });

  it('rotates: the first secret signs, every listed one verifies', () => {
    const rotated = new SessionSigner(['new-secret-0123456789', SECRET]);
    const id = signer.newSessionId();
    expect(rotated.verify(signer.sign(id, T0))).toEqual({ id, issuedAt: T0 });
    expect(signer.verify(rotated.sign(id, T0))).toBeNull();
    expect(new SessionSigner(['new-secret-0123456789']).verify(rotated.sign(id, T0))).toEqual({
      id,
      issuedAt: T0,
    });
  });

  it('refuses a short or placeholder secret', () => {
    expect(() => new SessionSigner(['short'])).toThrow(/at least 16/);
    expect(() => new SessionSigner(['change-me-0123456789'])).toThrow(/placeholder/);
    expect(() => new SessionSigner([])).toThrow(/required/);
  });

  it('is set httpOnly, SameSite=Lax, for the whole site, Secure on request, for the browser session', () => {
    expect(sessionCookieHeader('a.1.b', false)).toBe(
      'pp_session=a.1.b; Path=/; HttpOnly; SameSite=Lax',
    );
    expect(sessionCookieHeader('a.1.b', true)).toBe(
      'pp_session=a.1.b; Path=/; HttpOnly; Secure; SameSite=Lax',
    );
    // a signature's + and / are escaped
    expect(sessionCookieHeader('a.1.b+/c', false)).toMatch(/^pp_session=a\.1\.b%2B%2Fc;/);
  });
});

describe('reading cookies', () => {
  it('reads every value of a repeated cookie', () => {
    expect(readCookies('pp_session=a; x=1;pp_session=b ; pp_sessions=c', 'pp_session')).toEqual([
      'a',
      'b',
    ]);
    expect(readCookies(undefined, 'pp_session')).toEqual([]);
  });
});

describe('the session of a Cookie header', () => {
  const maxAge = 30 * DAY;
  const id = signer.newSessionId();
  const cookie = `pp_session=${signer.sign(id, T0)}`;
  const read = (header: string | undefined, now = T0 + 1000) =>
    readSession(signer, header, maxAge, now);

  it('is valid, with its issue time, until the maximum age has passed', () => {
    expect(read(cookie)).toEqual({ state: 'valid', id, issuedAt: T0 });
    expect(read(`theme=dark; ${cookie}; lang=en`)).toMatchObject({ state: 'valid', id });
    expect(read(cookie, T0 + maxAge - 1)).toMatchObject({ state: 'valid', id });
    expect(read(cookie, T0 + maxAge)).toEqual({ state: 'refused', why: 'too-old' });
  });

  it('is none without a cookie or with one no secret signed', () => {
    expect(read(undefined)).toEqual({ state: 'none' });
    expect(read('theme=dark')).toEqual({ state: 'none' });
    expect(read('pp_session=garbage')).toEqual({ state: 'none' });
    expect(read('pp_session=%E0%A4%A')).toEqual({ state: 'none' });
    const other = new SessionSigner(['another-secret-0123456']).sign(id, T0);
    expect(read(`pp_session=${other}`)).toEqual({ state: 'none' });
  });

  it('refuses a cookie from before sessions had a lifetime', () => {
    expect(read(`pp_session=${legacyCookie(id)}`)).toEqual({ state: 'refused', why: 'legacy' });
  });

  it('refuses two different pp_session cookies, whatever they hold, but not the same one twice', () => {
    const mine = signer.sign(signer.newSessionId(), T0);
    expect(read(`${cookie}; pp_session=${mine}`)).toEqual({ state: 'refused', why: 'ambiguous' });
    expect(read(`pp_session=garbage; ${cookie}`)).toEqual({ state: 'refused', why: 'ambiguous' });
    expect(read(`${cookie}; pp_session=`)).toEqual({ state: 'refused', why: 'ambiguous' });
    expect(read(`${cookie}; ${cookie}`)).toMatchObject({ state: 'valid', id });
  });
});

/** A store whose session calls are counted. */
function countingStore(store: PushpageStore = new MemoryStore()): {
  store: PushpageStore;
  reads: () => number;
  writes: () => number;
} {
  const read = jest.spyOn(store, 'sessionRecord');
  const write = jest.spyOn(store, 'touchSession');
  return { store, reads: () => read.mock.calls.length, writes: () => write.mock.calls.length };
}

describe('session activity on one replica', () => {
  const idleMs = 7 * DAY;
  let now = T0;
  const clock = () => now;
  const keepMs = 30 * DAY;

  beforeEach(() => {
    now = T0;
  });

  afterEach(() => jest.restoreAllMocks());

  it('keeps a used session active and ends one unused for the idle limit', async () => {
    const { store } = countingStore();
    const activity = new SessionActivity(store, { idleMs, keepMs, now: clock });
    activity.started('s1', now);
    now += idleMs - 1000;
    expect(await activity.check('s1', T0)).toBe('active');
    now += idleMs - 1000;
    expect(await activity.checkMessage('s1', T0)).toBe('active');
    now += idleMs;
    expect(await activity.check('s1', T0)).toBe('idle');
    expect(await activity.checkMessage('s1', T0)).toBe('idle');
  });

  it('counts a session without any record as used when it started (its cookie says when)', async () => {
    const activity = new SessionActivity(new MemoryStore(), { idleMs, keepMs, now: clock });
    now = T0 + idleMs - 1;
    expect(await activity.check('fresh', T0)).toBe('active');
    const other = new SessionActivity(new MemoryStore(), { idleMs, keepMs, now: clock });
    now = T0 + idleMs;
    expect(await other.check('old', T0)).toBe('idle');
  });

  it('records a use at most once per tenth of the idle limit (5 minutes at most), not per message', async () => {
    const { store, writes, reads } = countingStore();
    const activity = new SessionActivity(store, { idleMs, keepMs, now: clock });
    expect(activity.touchEveryMs).toBe(5 * 60_000);
    expect(new SessionActivity(store, { idleMs: 1000, keepMs, now: clock }).touchEveryMs).toBe(100);
    expect(await activity.check('s1', T0)).toBe('active');
    expect([reads(), writes()]).toEqual([1, 1]);
    // a socket sending an event a second for 10 minutes: two more writes, no read
    for (let i = 0; i < 600; i++) {
      now += 1000;
      expect(await activity.checkMessage('s1', T0)).toBe('active');
      if (i === 20) expect(reads()).toBe(1);
    }
    expect(writes()).toBe(3);
    // background re-reads, once per SESSION_RECHECK_MS
    expect(reads()).toBe(1 + Math.floor((600 * 1000) / SESSION_RECHECK_MS));
    expect((await store.sessionRecord('s1'))?.usedAt).toBe(T0 + 600_000);
  });

  it('reads the store at a request at most once per recheck time', async () => {
    const { store, reads } = countingStore();
    const activity = new SessionActivity(store, { idleMs, keepMs, now: clock });
    for (let i = 0; i < 100; i++) {
      now += 100;
      expect(await activity.check('s1', T0)).toBe('active');
    }
    expect(reads()).toBe(1);
    now += SESSION_RECHECK_MS;
    await activity.check('s1', T0);
    expect(reads()).toBe(2);
  });

  it('keeps a session alive that another replica used, though it looks idle from here', async () => {
    const shared = new MemoryStore();
    const a = new SessionActivity(shared, { idleMs, keepMs, now: clock });
    const b = new SessionActivity(shared, { idleMs, keepMs, now: clock });
    expect(await a.check('s1', T0)).toBe('active');
    now += idleMs - DAY;
    expect(await b.check('s1', T0)).toBe('active');
    now += 2 * DAY;
    // idle from a's own reads, but b wrote a use: a reads it again
    expect(await a.checkMessage('s1', T0)).toBe('active');
    expect(await a.check('s1', T0)).toBe('active');
  });

  it('finds a revocation in the store at the next read, and says so once', async () => {
    const shared = new MemoryStore();
    const found: string[] = [];
    const a = new SessionActivity(shared, {
      idleMs,
      keepMs,
      now: clock,
      revokedFound: (id) => found.push(id),
    });
    expect(await a.check('s1', T0)).toBe('active');
    await shared.revokeSession('s1', now, keepMs);
    // within the recheck time this replica has not read it (the broadcast tells it sooner)
    expect(await a.check('s1', T0)).toBe('active');
    now += SESSION_RECHECK_MS;
    // a message reads it in the background and is let through meanwhile
    expect(await a.checkMessage('s1', T0)).toBe('active');
    await new Promise((resolve) => setImmediate(resolve));
    expect(found).toEqual(['s1']);
    expect(await a.checkMessage('s1', T0)).toBe('revoked');
    expect(await a.check('s1', T0)).toBe('revoked');
    expect(found).toEqual(['s1']);
  });

  it('refuses a session revoked here at once, without reading the store', async () => {
    const { store, reads } = countingStore();
    const a = new SessionActivity(store, { idleMs, keepMs, now: clock });
    a.revoked('s2');
    expect(await a.check('s2', T0)).toBe('revoked');
    expect(await a.checkMessage('s2', T0)).toBe('revoked');
    expect(reads()).toBe(0);
  });
});
